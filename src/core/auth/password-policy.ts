/** Passwords (ASVS 2.1): 8 to 128 characters, any characters, and not one of the common ones. */
import { AppError } from '../errors.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** The refusal of a password, or null when it may be used. Counts characters (code points), not bytes. */
export function checkPassword(password: string, common: ReadonlySet<string>, context: { username?: string } = {}): AppError | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    return new AppError('PASSWORD_REJECTED', `A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters (this one has ${length}).`, {
      reason: 'length',
      min: PASSWORD_MIN,
      max: PASSWORD_MAX,
    });
  }
  if (common.has(password) || common.has(password.toLowerCase())) {
    return new AppError('PASSWORD_REJECTED', 'This password is one of the most common ones; choose another.', { reason: 'common' });
  }
  if (context.username && password.toLowerCase().includes(context.username.toLowerCase()) && context.username.length >= 3) {
    return new AppError('PASSWORD_REJECTED', 'The password must not contain the username.', { reason: 'username' });
  }
  return null;
}
