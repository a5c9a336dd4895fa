// The port lives with the domain that needs it (meetings/ imports no adapter folder); implementations live here.
export type { KeyValueStore, Versioned } from '../meetings/ports';
