export { DEFAULT_CLIENT, startEntraEmulator, type EntraEmulator } from './emulator';
export { DEFAULT_SERVICE_PRINCIPAL_ID } from './tokens';
export type {
  EntraClient,
  EntraEmulatorOptions,
  FailNextOptions,
  MintSsoTokenOptions,
  RequestRecord,
  TokenRequestRecord,
  UserSwitches,
} from './types';
