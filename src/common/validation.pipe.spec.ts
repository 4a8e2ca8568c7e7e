import { ArgumentMetadata } from '@nestjs/common';
import { IsString } from 'class-validator';
import { ProblemException } from './problem-details/problem.exception';
import { Optional } from './validation/optional.decorator';
import { BoundedIntQuery } from './validation/query.decorators';
import { InputValidationPipe } from './validation.pipe';

class NoteDto {
  @Optional()
  @IsString({ message: 'text must be text' })
  text?: string;
}

class PageQueryDto {
  @BoundedIntQuery('limit', 1, 100, 20)
  limit = 20;
}

const body: ArgumentMetadata = { type: 'body', metatype: NoteDto };
const query: ArgumentMetadata = { type: 'query', metatype: PageQueryDto };

async function fieldErrors(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error) {
    return (error as ProblemException).fieldErrors;
  }
  throw new Error('expected a validation failure');
}

describe('InputValidationPipe', () => {
  const pipe = new InputValidationPipe();

  it('refuses a body that is not an object, even when every field is optional', async () => {
    for (const value of [null, [], [{}], 'x', 1, true]) {
      expect(await fieldErrors(pipe.transform(value, body))).toEqual([
        { field: 'body', message: 'the body must be an object' },
      ]);
    }
  });

  it('takes an absent body as an empty one, and an optional field absent but never null', async () => {
    expect(await pipe.transform(undefined, body)).toBeInstanceOf(NoteDto);
    expect(await pipe.transform({ text: 'a' }, body)).toEqual({ text: 'a' });
    expect(await fieldErrors(pipe.transform({ text: null }, body))).toEqual([
      { field: 'text', message: 'text must not be null' },
    ]);
  });

  it('refuses a known query parameter given twice, and ignores an unknown one', async () => {
    expect(await fieldErrors(pipe.transform({ limit: ['1', '2'] }, query))).toEqual([
      { field: 'limit', message: 'limit must be given once' },
    ]);
    expect(await pipe.transform({ other: ['1', '2'], limit: '5' }, query)).toEqual({ limit: 5 });
  });

  it('reads integers as plain decimal digits only', async () => {
    expect(await pipe.transform({ limit: '007' }, query)).toEqual({ limit: 7 });
    for (const limit of ['0x10', '1e2', '+5', ' 5', '5.0', '']) {
      expect(await fieldErrors(pipe.transform({ limit }, query))).toEqual([
        { field: 'limit', message: expect.stringMatching(/^limit /) },
      ]);
    }
  });
});
