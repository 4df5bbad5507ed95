/**
 * AES-256-GCM for personal data at rest (个人信息保护法 Art 51: encryption of sensitive personal
 * information). The key lives outside the database (secrets file or environment). Ciphertexts carry a
 * key id so keys can be rotated without rewriting every row at once.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export type FieldCipher = {
  keyId: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  encryptBytes(plain: Uint8Array): Buffer;
  decryptBytes(sealed: Uint8Array): Buffer;
  /** A keyed hash to find a value by equality without storing it (HMAC-SHA256 under a derived key). */
  blindIndex(value: string): string;
};

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export function createFieldCipher(key: Buffer): FieldCipher {
  if (key.length !== 32) throw new Error('encryption key must be 32 bytes');
  const keyId = keyIdOf(key);
  const encryptBytes = (plain: Uint8Array): Buffer => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  };
  const decryptBytes = (sealed: Uint8Array): Buffer => {
    const buf = Buffer.from(sealed);
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(buf.length - 16));
    return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
  };
  const indexKey = createHash('sha256').update('blind-index\0').update(key).digest();
  return {
    keyId,
    blindIndex: (value) => createHmac('sha256', indexKey).update(value, 'utf8').digest('hex'),
    encryptBytes,
    decryptBytes,
    encrypt: (plain) => `${VERSION}.${keyId}.${encryptBytes(Buffer.from(plain, 'utf8')).toString('base64')}`,
    decrypt: (sealed) => {
      const [version, id, body] = sealed.split('.');
      if (version !== VERSION || id !== keyId || body === undefined) {
        throw new Error(`cannot decrypt a value sealed with ${version}/${id}: key ${keyId} is loaded`);
      }
      return decryptBytes(Buffer.from(body, 'base64')).toString('utf8');
    },
  };
}
