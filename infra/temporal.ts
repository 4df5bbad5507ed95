/** Temporal connections for the API (client) and the worker, with the payload-encryption codec. */
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { FieldCipher } from './crypto.js';
import { createEncryptionCodec } from './payload-codec.js';

export function dataConverterFor(cipher: FieldCipher): DataConverter {
  return { payloadCodecs: [createEncryptionCodec(cipher)] };
}

export async function connectClient(opts: { address: string; namespace: string; cipher: FieldCipher }) {
  const connection = await Connection.connect({ address: opts.address });
  const client = new Client({ connection, namespace: opts.namespace, dataConverter: dataConverterFor(opts.cipher) });
  return { client, connection };
}
