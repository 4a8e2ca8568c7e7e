/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line must be a comment (HELP
 * and TYPE well-formed), an empty line or a sample, label values must be properly quoted and escaped,
 * and every sample must belong to a family declared by a TYPE line. Throws naming the first bad line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)|[+-]?[Ii][Nn][Ff]|[Nn][Aa][Nn])';
// Values are read as Go's ParseFloat reads them: Inf and NaN in any case (prom-client writes "Nan").
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL_NAME}=${LABEL_VALUE})(?:,${LABEL_NAME}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`,
);
const LABEL = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count', ''],
};

function unescape(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function familyOf(sampleName: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const exact = families.get(sampleName);
  if (exact && !SUFFIXES[exact.type]) return exact;
  for (const family of families.values()) {
    const suffixes = SUFFIXES[family.type] ?? [''];
    if (suffixes.some((suffix) => `${family.name}${suffix}` === sampleName)) return family;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, MetricFamily>();
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    if (help) {
      const family = families.get(help[1]) ?? { name: help[1], type: 'untyped', help: '', samples: [] };
      family.help = help[2];
      families.set(help[1], family);
    } else if (type) {
      const family = families.get(type[1]) ?? { name: type[1], type: 'untyped', help: '', samples: [] };
      if (family.samples.length > 0) throw new Error(`TYPE after samples, ${where}`);
      family.type = type[2];
      families.set(type[1], family);
    } else if (line.startsWith('# HELP') || line.startsWith('# TYPE')) {
      throw new Error(`malformed HELP or TYPE line, ${where}`);
    } else if (line.startsWith('#') || line.trim() === '') {
      // Other comments and empty lines are allowed, and ignored, by the format.
    } else {
      const sample = SAMPLE.exec(line);
      if (!sample) throw new Error(`malformed sample, ${where}`);
      const family = familyOf(sample[1], families);
      if (!family) throw new Error(`sample of an undeclared family, ${where}`);
      const labels: Record<string, string> = {};
      for (const [, name, value] of (sample[2] ?? '').matchAll(LABEL)) {
        if (name in labels) throw new Error(`duplicate label ${name}, ${where}`);
        labels[name] = unescape(value);
      }
      family.samples.push({
        name: sample[1],
        labels,
        value: Number(sample[3].replace(/inf/i, 'Infinity').replace(/nan/i, 'NaN')),
      });
    }
  });
  return families;
}

/** Checks each histogram series: buckets cumulative, ending in +Inf equal to _count. */
export function assertHistogramsConsistent(families: Map<string, MetricFamily>): void {
  for (const family of families.values()) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const sample of family.samples.filter((s) => s.name.endsWith('_bucket'))) {
      const { le, ...rest } = sample.labels;
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), sample]);
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++) {
        if (buckets[i].value < buckets[i - 1].value) throw new Error(`${family.name}${key}: buckets not cumulative`);
      }
      const last = buckets.at(-1);
      const count = family.samples.find((s) => s.name === `${family.name}_count` && JSON.stringify(s.labels) === key);
      if (last?.labels.le !== '+Inf' || count?.value !== last.value) {
        throw new Error(`${family.name}${key}: +Inf bucket missing or not equal to _count`);
      }
    }
  }
}
