import { applyDecorators } from '@nestjs/common';
import { ValidateBy } from 'class-validator';
import { hasInvisibleCharacters } from '../../common/email-address';
import { PersonName } from '../../common/validation/text.decorators';

/**
 * A passkey's label: a name under the name rules, and no zero-width or bidi characters either, since
 * it is shown back in lists and security mails where a reversed or hidden label could mislead.
 */
export function PasskeyName(): PropertyDecorator {
  return applyDecorators(
    PersonName('name'),
    ValidateBy({
      name: 'visibleText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hasInvisibleCharacters(value),
        defaultMessage: () => 'name must not contain control, zero-width or bidi characters',
      },
    }),
  );
}
