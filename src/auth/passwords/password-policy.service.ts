import { Injectable } from '@nestjs/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { AuthConfig } from '../../config/auth.config';

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
  private readonly zxcvbn = new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
  });

  constructor(private readonly config: AuthConfig) {}

  /** The reason the password is refused, or undefined when it is acceptable. */
  problem(password: string, owner: PasswordOwner): string | undefined {
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
    const result = this.zxcvbn.check(codePoints.slice(0, SCORED_PREFIX).join(''), inputs);
    if (result.score < this.config.passwordMinScore) {
      const hint = result.feedback.warning ?? result.feedback.suggestions[0];
      return `is too easy to guess${hint ? `: ${hint}` : ''}`;
    }
    return undefined;
  }
}
