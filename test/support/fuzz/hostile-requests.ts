import fc from 'fast-check';
import { FuzzBody, FuzzRequest, formPairs, NOWHERE, SessionChoice } from './fuzz-request';
import { clientDataWith, hostileClientData, hostileText, hostileValue } from './hostile-values';
import { FuzzOperation, REMOVE, fieldPaths, withField } from './openapi-operations';

/** Whole bodies of the wrong JSON type, malformed JSON and poisoned keys. */
const WHOLE_BODIES = [
  '[]',
  '"x"',
  '1',
  'true',
  'null',
  '[{}]',
  '{',
  '{"a":',
  '',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
];

const UNKNOWN_QUERY_KEYS = ['x', 'x[]', 'a[b]', ']', '__proto__', 'constructor', 'a\u0000', 'limit[$gt]'];
const BRACKETS = ['[]', '[$ne]', '[0]', '[', ']', '[a][b]'];

/** The operation's unmutated request: the document's example body, path ids that name nothing. */
export function baseRequest(operation: FuzzOperation, example: unknown, session: SessionChoice): FuzzRequest {
  const pathValues = Object.fromEntries(operation.pathParameters.map((p) => [p.name, NOWHERE]));
  const body: FuzzBody | undefined = operation.body ? { kind: 'json', value: example } : undefined;
  return { operation, label: 'example', pathValues, query: [], body, session };
}

type Mutation = (request: FuzzRequest) => FuzzRequest;

function bodyMutations(operation: FuzzOperation, example: unknown): fc.Arbitrary<Mutation>[] {
  if (!operation.body) return [];
  const paths = fieldPaths(example);
  const mutations: fc.Arbitrary<Mutation>[] = [
    fc
      .constantFrom(...WHOLE_BODIES)
      .map((text) => (r) => ({ ...r, label: `body ${text}`, body: { kind: 'raw-json', text } })),
    fc.constant((r: FuzzRequest) => ({ ...r, label: 'no body', body: undefined })),
    fc.tuple(fc.string({ maxLength: 12 }), hostileValue()).map(([key, value]) => (r: FuzzRequest) => ({
      ...r,
      label: `extra field ${JSON.stringify(key)}`,
      body: { kind: 'json', value: { ...(example as object), [key]: value } },
    })),
  ];
  if (paths.length > 0) {
    mutations.push(
      fc.tuple(fc.constantFrom(...paths), hostileValue()).map(([path, value]) => (r: FuzzRequest) => ({
        ...r,
        label: `${path} replaced`,
        body: { kind: 'json', value: withField(example, path, value) },
      })),
      fc.constantFrom(...paths).map((path) => (r: FuzzRequest) => ({
        ...r,
        label: `${path} removed`,
        body: { kind: 'json', value: withField(example, path, REMOVE) },
      })),
    );
  }
  const clientData = paths.filter((path) => path.endsWith('clientDataJSON'));
  if (clientData.length > 0) {
    mutations.push(
      fc.tuple(fc.constantFrom(...clientData), hostileClientData()).map(([path, value]) => (r: FuzzRequest) => ({
        ...r,
        label: `${path} with a hostile challenge`,
        body: { kind: 'json', value: withField(example, path, value) },
      })),
    );
  }
  const scalars = formPairs(example);
  if (operation.body.takesForms && scalars.length > 0) {
    const keys = scalars.map(([key]) => key);
    mutations.push(
      fc
        .tuple(fc.constantFrom(...keys), hostileText(), fc.constantFrom('replaced', 'repeated', 'bracketed'))
        .map(([key, text, how]) => (r: FuzzRequest) => {
          const pairs = scalars.filter(([name]) => how === 'repeated' || name !== key);
          pairs.push([how === 'bracketed' ? `${key}[]` : key, text]);
          return { ...r, label: `form ${key} ${how}`, body: { kind: 'form', pairs } };
        }),
    );
  }
  return mutations;
}

function queryMutations(operation: FuzzOperation): fc.Arbitrary<Mutation>[] {
  const names = operation.queryParameters.map((p) => p.name);
  const mutations: fc.Arbitrary<Mutation>[] = [
    fc.tuple(fc.constantFrom(...UNKNOWN_QUERY_KEYS), hostileText()).map(([key, text]) => (r: FuzzRequest) => ({
      ...r,
      label: `unknown query ${JSON.stringify(key)}`,
      query: [...r.query, [key, text]],
    })),
  ];
  if (names.length === 0) return mutations;
  mutations.push(
    fc.tuple(fc.constantFrom(...names), hostileText()).map(([name, text]) => (r: FuzzRequest) => ({
      ...r,
      label: `query ${name}`,
      query: [...r.query, [name, text]],
    })),
    fc.tuple(fc.constantFrom(...names), hostileText(), hostileText()).map(([name, a, b]) => (r: FuzzRequest) => ({
      ...r,
      label: `query ${name} repeated`,
      query: [...r.query, [name, a], [name, b]],
    })),
    fc
      .tuple(fc.constantFrom(...names), fc.constantFrom(...BRACKETS), hostileText())
      .map(([name, bracket, text]) => (r: FuzzRequest) => ({
        ...r,
        label: `query ${name}${bracket}`,
        query: [...r.query, [`${name}${bracket}`, text]],
      })),
  );
  return mutations;
}

/** Path text that stays on this route: an empty, `.` or `..` segment is another URL altogether. */
const pathText = hostileText().filter((text) => !['', '.', '..'].includes(text));

function pathMutations(operation: FuzzOperation): fc.Arbitrary<Mutation>[] {
  if (operation.pathParameters.length === 0) return [];
  const names = operation.pathParameters.map((p) => p.name);
  return [
    fc.tuple(fc.constantFrom(...names), fc.oneof(pathText, fc.uuid())).map(([name, text]) => (r: FuzzRequest) => ({
      ...r,
      label: `path ${name}`,
      pathValues: { ...r.pathValues, [name]: text },
    })),
  ];
}

/** Every way the fuzz bends one operation's example into a hostile request. */
export function hostileRequests(operation: FuzzOperation, example: unknown): fc.Arbitrary<FuzzRequest> {
  const mutations = [...bodyMutations(operation, example), ...queryMutations(operation), ...pathMutations(operation)];
  const sessions: fc.Arbitrary<SessionChoice> = operation.secured
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<SessionChoice>('valid', 'valid', 'cookie') },
        { weight: 1, arbitrary: fc.constantFrom<SessionChoice>('none', 'forged', 'hostile-cookie') },
      )
    : fc.constantFrom<SessionChoice>('none', 'valid', 'cookie', 'hostile-cookie');
  return fc
    .tuple(fc.oneof(...mutations), sessions)
    .map(([mutate, session]) => mutate(baseRequest(operation, example, session)));
}

/** A value of the wrong type for a field whose example is `example`. */
function wrongType(example: unknown): unknown {
  return typeof example === 'number' ? 'not a number' : 12345;
}

/** Text a query parameter of this schema refuses, whatever it is. */
function refusedText(schema: { type?: string }): string {
  return schema.type === 'integer' ? '0x10' : '\u202e!not valid!';
}

/**
 * Requests every operation must refuse with field errors once past the guards (a signed-in caller):
 * each field of the wrong type, each parameter malformed, the body not an object. Run before the
 * random ones, they make sure the fuzz reaches validation on every operation, not just its guards.
 */
export function probeRequests(operation: FuzzOperation, example: unknown): FuzzRequest[] {
  const base = baseRequest(operation, example, 'valid');
  const probes: FuzzRequest[] = [];
  if (operation.body) {
    for (const [key, value] of Object.entries((example ?? {}) as Record<string, unknown>)) {
      probes.push({
        ...base,
        label: `${key} of the wrong type`,
        body: { kind: 'json', value: withField(example, key, wrongType(value)) },
      });
    }
    for (const path of fieldPaths(example).filter((field) => field.endsWith('clientDataJSON'))) {
      const value = withField(example, path, clientDataWith('\u0000'));
      probes.push({ ...base, label: `${path} with a NUL challenge`, body: { kind: 'json', value } });
    }
    probes.push({ ...base, label: 'body []', body: { kind: 'raw-json', text: '[]' } });
    probes.push({ ...base, label: 'body null', body: { kind: 'raw-json', text: 'null' } });
  }
  for (const { name, schema } of operation.queryParameters) {
    probes.push({ ...base, label: `query ${name} malformed`, query: [[name, refusedText(schema)]] });
  }
  for (const { name } of operation.pathParameters) {
    probes.push({ ...base, label: `path ${name} malformed`, pathValues: { ...base.pathValues, [name]: 'not-a-uuid' } });
  }
  probes.push({ ...base, label: 'bracketed query key', query: [['x[]', '1']] });
  return probes;
}
