export const RECENT_PROOF_RULE = 'recentProofRule';

/** What @RequiresRecentAuth() asks of a route. */
export interface RecentProofRule {
  /**
   * The second step of a ceremony whose first step needed a recent proof and stays live this long (its
   * challenge or pending secret): the guard lets through a session whose proof was recent at any moment
   * of that span, and the step itself checks the proof against its first step's time.
   */
  firstStepLiveMs?: number;
}
