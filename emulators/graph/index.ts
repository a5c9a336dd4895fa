export { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from './graph-emulator';
export type { EmulatorSwitches, FaultSpec, RecordedRequest } from './emulator-state';
export type { StoredMeeting } from './meeting-resource';
export { GRAPH_AUDIENCES } from './token-verifier';
export type { StoredTownhall } from './townhalls';
