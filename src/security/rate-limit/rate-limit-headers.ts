/** Where one limit stands for the current request. */
export interface LimitStanding {
  name: string;
  limit: number;
  remaining: number;
  /** Seconds until the window (or the block) ends. */
  resetSeconds: number;
  /** This request went over the limit and is refused. */
  exceeded: boolean;
}

/** The limit with the fewest requests left; on a tie, the one that stays exhausted longer. */
export function closestToExhaustion(standings: LimitStanding[]): LimitStanding | undefined {
  return standings.reduce<LimitStanding | undefined>((closest, standing) => {
    if (!closest || standing.remaining < closest.remaining) return standing;
    if (standing.remaining === closest.remaining && standing.resetSeconds > closest.resetSeconds) return standing;
    return closest;
  }, undefined);
}

/** The contract's header names, without the per-limit suffixes @nestjs/throttler would add. */
export function rateLimitHeaders(standing: LimitStanding): Record<string, string> {
  return {
    'ratelimit-limit': String(standing.limit),
    'ratelimit-remaining': String(standing.remaining),
    'ratelimit-reset': String(Math.max(0, standing.resetSeconds)),
  };
}
