export { GraphMeetingsGateway, type GraphMeetingsGatewayOptions } from './graph-meetings-gateway';
export { toOnlineMeeting } from './graph-meeting-schema';
export { parseRetryAfter, decideRetry } from './retry-policy';
