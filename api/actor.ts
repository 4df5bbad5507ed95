import type { Request } from 'express';
import type { Actor } from '../domain/case.js';

/**
 * Who is acting. Until authentication exists every request acts as the center's front desk clerk;
 * the identity issue replaces this one function with the authenticated actor.
 */
export function currentActor(_req: Request): Actor {
  return { id: 'front-desk', role: 'clerk' };
}
