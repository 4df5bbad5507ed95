/**
 * Encrypts every payload Temporal stores (workflow inputs, update arguments, results), so party names,
 * ID numbers and phone numbers never sit in Temporal's history in plain text. Client and worker use the
 * same codec; the Temporal UI shows these payloads as `binary/encrypted`.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { FieldCipher } from './crypto.js';

const { temporal } = proto; // a CommonJS module: no named exports under plain Node ESM
const ENCODING = 'binary/encrypted';
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export function createEncryptionCodec(cipher: FieldCipher): PayloadCodec {
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => ({
        metadata: { encoding: utf8.encode(ENCODING), 'encryption-key-id': utf8.encode(cipher.keyId) },
        data: cipher.encryptBytes(temporal.api.common.v1.Payload.encode(payload).finish()),
      }));
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        const encoding = payload.metadata?.encoding;
        if (!encoding || fromUtf8.decode(encoding) !== ENCODING) return payload;
        if (!payload.data) throw new Error('encrypted payload without data');
        const decoded = temporal.api.common.v1.Payload.decode(cipher.decryptBytes(payload.data));
        return decoded as Payload;
      });
    },
  };
}
