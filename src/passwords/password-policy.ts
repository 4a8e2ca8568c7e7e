import { Injectable } from '@nestjs/common';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AuthConfig } from '../config/auth.config';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** Scoring cost grows with length; a bounded prefix keeps every check to a few milliseconds. */
const SCORED_PREFIX = 64;

export interface PasswordOwner {
  email: string;
  firstName?: string;
  lastName?: string;
}

/**
 * OWASP ASVS 5.0 §6.2: 8 to 128 code points, no composition rules, not the email or its local part,
 * and a zxcvbn score of at least PASSWORD_MIN_SCORE with the owner's details as known inputs.
 * Applied where a password is set, never on login.
 */
@Injectable()
export class PasswordPolicy {
  private scorer?: ZxcvbnFactory;

  constructor(private readonly config: AuthConfig) {}

  /** The reason the password is refused, or undefined when it is acceptable. */
  problem(typed: string, owner: PasswordOwner): string | undefined {
    // Judged as it is hashed: in NFC, so length counts what the user sees as characters.
    const password = typed.normalize('NFC');
    const codePoints = [...password];
    if (codePoints.length < PASSWORD_MIN_LENGTH) {
      return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
    }
    if (codePoints.length > PASSWORD_MAX_LENGTH) {
      return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
    }
    const lowered = password.toLowerCase();
    const email = owner.email.toLowerCase();
    if (lowered === email || lowered === email.split('@')[0]) return 'must not be your email address';
    const inputs = [email, email.split('@')[0], owner.firstName, owner.lastName].filter(
      (input): input is string => typeof input === 'string' && input.length > 0,
    );
    const result = this.zxcvbnScorer().check(codePoints.slice(0, SCORED_PREFIX).join(''), inputs);
    if (result.score < this.config.passwordMinScore) {
      const hint = result.feedback.warning ?? result.feedback.suggestions[0];
      return `is too easy to guess${hint ? `: ${hint}` : ''}`;
    }
    return undefined;
  }

  /**
   * The dictionaries take ~300 ms and ~40 MB to load: paid by the first password set, not by every
   * start (most starts serve logins and token checks, which never score a password).
   */
  private zxcvbnScorer(): ZxcvbnFactory {
    if (!this.scorer) {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
      const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
      const english = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
      /* eslint-enable @typescript-eslint/no-require-imports */
      this.scorer = new Factory({
        translations: english.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...english.dictionary },
        // The default (100) let one check of a 26-character password hold the event loop for ~110 ms;
        // at 5 the worst of our reference passwords takes ~10 ms and every reference score is unchanged.
        l33tMaxSubstitutions: 5,
      });
    }
    return this.scorer;
  }
}
