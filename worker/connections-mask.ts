// Replaces the secrets a run received, in the forms a program is likely to print them, by ***, in each
// line of its log before the line is stored (worker/run-log.ts).

const MASK = '***';
/** Shorter values are not masked: a 2-letter secret would blank out half a log and protect nothing. */
export const MIN_SECRET_LENGTH = 4;
/** A line's start or end this long that is a part of a secret counts as the secret cut across writes. */
const MIN_EDGE = 6;

/** The texts of a value that base64 (standard and URL alphabets) shows at any offset in a longer input. */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value);
  const forms: string[] = [];
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Only the characters made from the value's bits alone.
    const core = encoded.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6));
    if (core.length >= MIN_SECRET_LENGTH) forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  forms.push(bytes.toString('base64'), bytes.toString('base64url'));
  return forms;
}

export function secretForms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const pieces = value.includes('\n')
    ? [value, ...value.split(/\r?\n/).map((l) => l.trim())].filter((p) => p.length >= MIN_SECRET_LENGTH)
    : [value];
  const forms = new Set<string>();
  for (const piece of pieces) {
    forms.add(piece);
    const url = encodeURIComponent(piece);
    forms.add(url);
    forms.add(url.replaceAll('%20', '+'));
    forms.add(url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    for (const form of base64Forms(piece)) forms.add(form);
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export class SecretMasker {
  private readonly needles: string[];

  constructor(values: Iterable<string>) {
    const all = new Set<string>();
    for (const value of values) for (const form of secretForms(value)) all.add(form);
    this.needles = [...all].sort((a, b) => b.length - a.length); // longest first: a form inside another
  }

  get empty(): boolean {
    return this.needles.length === 0;
  }

  mask(line: string): string {
    let out = line;
    for (const needle of this.needles) if (out.includes(needle)) out = out.split(needle).join(MASK);
    return this.maskEdges(out);
  }

  /** A line cut inside a secret (an over-long line is handed over in pieces) ends with its start, or starts with its end. */
  private maskEdges(line: string): string {
    let out = line;
    for (const needle of this.needles) {
      if (needle.length <= MIN_EDGE) continue;
      const head = needle.slice(0, MIN_EDGE);
      for (let i = out.indexOf(head, Math.max(0, out.length - needle.length + 1)); i >= 0;) {
        if (needle.startsWith(out.slice(i))) {
          out = out.slice(0, i) + MASK;
          break;
        }
        i = out.indexOf(head, i + 1);
      }
      const tail = needle.slice(-MIN_EDGE);
      for (let j = out.indexOf(tail); j >= 0 && j + MIN_EDGE < needle.length;) {
        if (needle.endsWith(out.slice(0, j + MIN_EDGE))) {
          out = MASK + out.slice(j + MIN_EDGE);
          break;
        }
        j = out.indexOf(tail, j + 1);
      }
    }
    return out;
  }
}
