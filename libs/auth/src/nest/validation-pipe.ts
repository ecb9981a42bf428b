import { ValidationPipe } from '@nestjs/common';

/**
 * Strips properties a DTO does not declare and refuses them (400 "property x should not exist"), validates
 * nested objects, and never echoes the submitted values in errors.
 */
export function securityValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
  });
}
