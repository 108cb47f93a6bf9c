import { z } from 'zod';
import { permissions, roles } from '../auth/roles';

/** Shared pieces of request and response schemas. Request objects are strict: unknown fields are refused. */
export const idParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
export const roleSchema = z.enum(roles);
export const permissionSchema = z.enum(permissions);
export const instantSchema = z.iso.datetime({ offset: true }).describe('UTC instant, ISO 8601');
export const versionField = z.number().int().min(1).describe('The version you read; a stale one answers 409.');
export const emailSchema = z.email().max(254);
