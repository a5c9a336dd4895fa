import type { StoredMeeting } from './meeting-resource';
import type { StoredTownhall, TownhallSwitches } from './townhalls';

/** One scripted failure. Matching requests consume `count`; the first matching fault wins. */
export interface FaultSpec {
  /** HTTP status to answer (429, 500, 503, 504…). Omitted with `delayMs`: the request is only delayed, then served. */
  readonly status?: number;
  /** Retry-After value: seconds, or an HTTP date string. */
  readonly retryAfter?: number | string;
  /** How many matching requests the fault applies to (default 1). */
  readonly count?: number;
  readonly method?: string;
  readonly pathIncludes?: string;
  /** Hold the response this long (e.g. past the client's timeout). */
  readonly delayMs?: number;
  /** OData error code; defaults by status. */
  readonly code?: string;
  /**
   * The request is carried out first (the meeting exists), then answered with the fault: a gateway that timed out
   * after the service acted, the case that makes a repeated POST create a second meeting.
   */
  readonly afterEffect?: boolean;
  /** Instead of answering, the connection is dropped (after the request was read, and carried out with afterEffect). */
  readonly dropConnection?: boolean;
}

export interface EmulatorSwitches extends TownhallSwitches {
  /** Refuse live events (isBroadcast) with 400, as Graph does since live events retired on 30 Sep 2024. */
  readonly refuseLiveEvents: boolean;
  /** Refuse channel-bound creation (chatInfo) with 400 "1026: An error has occurred.", a known tenant failure. */
  readonly refuseChannelBinding: boolean;
}

export interface RecordedRequest {
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names lower-cased; Authorization replaced by whether it was present. */
  readonly headers: Readonly<Record<string, string | boolean>>;
  readonly body: unknown;
  readonly requestId: string;
  caller?: { readonly oid?: string; readonly tid: string; readonly appid?: string };
  status?: number;
  fault?: boolean;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

/** Mutable state behind the control API (programmatic and /_control/*). */
export class EmulatorState {
  readonly meetings = new Map<string, StoredMeeting>();
  readonly townhalls = new Map<string, StoredTownhall>();
  /** (tid|oid|externalId) → meeting id, the createOrGet key. */
  readonly externalIds = new Map<string, string>();
  readonly requests: RecordedRequest[] = [];
  latencyInMs = 0;
  switches: EmulatorSwitches;
  private faults: ActiveFault[] = [];
  private readonly policies = new Map<string, 'global' | Set<string>>();

  constructor(private readonly initialSwitches: EmulatorSwitches) {
    this.switches = { ...initialSwitches };
  }

  injectFaults(specs: FaultSpec | readonly FaultSpec[]): void {
    const list = ([] as FaultSpec[]).concat(specs);
    for (const spec of list) this.faults.push({ ...spec, remaining: spec.count ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Consumes and returns the first fault matching this request, if any. */
  takeFault(method: string, path: string): FaultSpec | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (f.pathIncludes === undefined || path.includes(f.pathIncludes)),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  grantAccessPolicy(appId: string, userIds: readonly string[] | 'global'): void {
    if (userIds === 'global') {
      this.policies.set(appId, 'global');
      return;
    }
    const current = this.policies.get(appId);
    if (current === 'global') return;
    const set = current ?? new Set<string>();
    for (const id of userIds) set.add(id.toLowerCase());
    this.policies.set(appId, set);
  }

  hasAccessPolicy(appId: string, userId: string): boolean {
    const policy = this.policies.get(appId);
    return policy === 'global' || (policy !== undefined && policy.has(userId.toLowerCase()));
  }

  setSwitches(switches: Partial<EmulatorSwitches>): void {
    this.switches = { ...this.switches, ...switches };
  }

  reset(): void {
    this.meetings.clear();
    this.townhalls.clear();
    this.externalIds.clear();
    this.requests.length = 0;
    this.latencyInMs = 0;
    this.faults = [];
    this.policies.clear();
    this.switches = { ...this.initialSwitches };
  }
}
