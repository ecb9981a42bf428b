import type { PersonalDataCategory } from './schemas/personal-data';

/**
 * The subset of JSON Schema our event contracts use (type, required, properties, additionalProperties,
 * items, enum, minLength, maxLength, pattern, minimum, maximum); consumers validate foreign events with it.
 * `description` and `x-personal-data` only annotate: they validate nothing (schemas/personal-data.ts).
 */
export interface PayloadSchema {
  description?: string;
  'x-personal-data'?: PersonalDataCategory;
  type?: JsonType | JsonType[];
  required?: string[];
  properties?: Record<string, PayloadSchema>;
  additionalProperties?: boolean;
  items?: PayloadSchema;
  enum?: readonly unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
