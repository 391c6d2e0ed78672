import { Repository } from 'typeorm';
import { newId } from '../../database/ids';
import { isUniqueViolation } from '../../database/unique-violation';
import { OperatorEntity } from '../entities/operator.entity';
import { hashPassword, UNMATCHABLE_HASH, verifyPassword } from './password-hash';

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const MIN_PASSWORD_LENGTH = 12;

/** A wrong argument of the operators command, in words the person at the terminal can act on. */
export class OperatorAccountError extends Error {}

/**
 * Operator accounts: the one writer of the `operators` table. Used by the `npm run operators`
 * command (create, disable) and by the console's sign-in (verify); never by an HTTP route that writes.
 */
export class OperatorAccounts {
  constructor(private readonly operators: Repository<OperatorEntity>) {}

  async create(username: string, password: string): Promise<OperatorEntity> {
    const name = normaliseUsername(username);
    if (!USERNAME.test(name))
      throw new OperatorAccountError(
        'username must be 3 to 64 characters: lower-case letters, digits, dot, dash or underscore',
      );
    if ([...password].length < MIN_PASSWORD_LENGTH)
      throw new OperatorAccountError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    const operator = this.operators.create({
      id: newId('op'),
      username: name,
      passwordHash: await hashPassword(password),
      disabled: false,
    });
    try {
      return await this.operators.save(operator);
    } catch (error) {
      if (isUniqueViolation(error)) throw new OperatorAccountError(`an operator named ${name} already exists`);
      throw error;
    }
  }

  /** Disables an operator: it cannot sign in, and its sessions end at their next request. */
  async disable(username: string): Promise<OperatorEntity> {
    const operator = await this.operators.findOneBy({ username: normaliseUsername(username) });
    if (!operator) throw new OperatorAccountError(`no operator is named ${username}`);
    operator.disabled = true;
    return this.operators.save(operator);
  }

  /**
   * The enabled operator with these credentials, or null. An unknown name costs as long as a
   * wrong password (a hash is checked either way), so timing does not tell which names exist.
   */
  async verify(username: string, password: string): Promise<OperatorEntity | null> {
    const operator = await this.operators.findOneBy({ username: normaliseUsername(username) });
    const matches = await verifyPassword(password, operator?.passwordHash ?? UNMATCHABLE_HASH);
    return operator && matches && !operator.disabled ? operator : null;
  }

  findEnabled(id: string): Promise<OperatorEntity | null> {
    return this.operators.findOneBy({ id, disabled: false });
  }
}

function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}
