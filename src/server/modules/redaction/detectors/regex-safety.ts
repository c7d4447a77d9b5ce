// A static check for regexes that can backtrack catastrophically (exponential time), run on
// custom patterns at start-up. It parses the pattern source into groups, alternatives and
// quantified atoms and rejects the two classic shapes:
//  - star height > 1: a repeated group that contains a repeated item, `(a+)+`, `(\w+\s?)*`,
//    `(a{2,}){3,}` (the inner and outer repetition can split the same input many ways) — unless
//    every alternative of the group starts with a fixed item the inner repetitions cannot match
//    (`\w+(?:,\w+)*`, `(?:-\d+)+`): then each round's start is unambiguous;
//  - a repeated alternation whose branches can start with the same character, `(a|ab)*`,
//    `(\w|\d)+`, `(.|\s)*` (each character can be taken by either branch).
// It is conservative (unknown escapes like \p{…} count as "any character") and is backed by a
// runtime time limit (custom-pattern.ts) for what it cannot see (polynomial cases like `\d*\d*x`).

/** A set of UTF-16 code units below 128, plus "anything else". */
interface CharSet {
  ascii: boolean[];
  other: boolean;
}

interface Node {
  /** Repetition with max > 1 applied to this item. */
  repeats: boolean;
  /** Contains a repeated item somewhere inside. */
  innerRepeats: boolean;
  /** Characters it can start with. */
  first: CharSet;
  /** Every character it can consume. */
  chars: CharSet;
  /** Every character a repeated item inside it can consume. */
  repeatedChars: CharSet;
  /** Can match the empty string (so what follows can also come first). */
  nullable: boolean;
  /** A sequence's first item when it is fixed (neither optional nor repeated): its characters. */
  lead?: CharSet | null;
  /** A group's alternatives. */
  branches?: Node[];
}

const none = (): CharSet => ({ ascii: Array<boolean>(128).fill(false), other: false });
const all = (): CharSet => ({ ascii: Array<boolean>(128).fill(true), other: true });
const range = (from: number, to: number, set = none()): CharSet => {
  for (let c = from; c <= to; c++) set.ascii[c] = true;
  return set;
};
const union = (a: CharSet, b: CharSet): CharSet => ({
  ascii: a.ascii.map((v, i) => v || b.ascii[i]!),
  other: a.other || b.other,
});
const overlaps = (a: CharSet, b: CharSet): boolean =>
  (a.other && b.other) || a.ascii.some((v, i) => v && b.ascii[i]);
const complement = (s: CharSet): CharSet => ({ ascii: s.ascii.map((v) => !v), other: true });
const of = (ch: string): CharSet => {
  const c = ch.charCodeAt(0);
  return c >= 128 ? { ascii: none().ascii, other: true } : range(c, c);
};
const DIGIT = () => range(48, 57);
const WORDC = () => range(95, 95, range(97, 122, range(65, 90, DIGIT())));
const SPACE = () => ({ ascii: range(9, 13, range(32, 32)).ascii, other: true });

function escapeSet(ch: string): CharSet {
  switch (ch) {
    case 'd':
      return DIGIT();
    case 'D':
      return complement(DIGIT());
    case 'w':
      return WORDC();
    case 'W':
      return complement(WORDC());
    case 's':
      return SPACE();
    case 'S':
      return complement(SPACE());
    default:
      // \p{…}, \x41, \u…, \cX, backreferences: unknown here, so "anything" (conservative).
      return /[pPxuck0-9]/.test(ch) ? all() : of(ch);
  }
}

const zeroWidth = (innerRepeats = false): Node => ({
  repeats: false,
  innerRepeats,
  first: none(),
  chars: none(),
  repeatedChars: none(),
  nullable: true,
});

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly caseless: boolean,
  ) {}

  problem(): string | null {
    try {
      this.alternation();
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** Alternatives up to ')' or the end, as one node. */
  private alternation(): Node {
    const branches: Node[] = [];
    for (;;) {
      branches.push(this.sequence());
      if (this.src[this.i] !== '|') break;
      this.i++;
    }
    const merge = (pick: (n: Node) => CharSet) => branches.map(pick).reduce(union);
    return {
      repeats: false,
      innerRepeats: branches.some((b) => b.innerRepeats),
      first: merge((b) => b.first),
      chars: merge((b) => b.chars),
      repeatedChars: merge((b) => b.repeatedChars),
      nullable: branches.some((b) => b.nullable),
      branches,
    };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.quantified());
    }
    let first = none();
    let nullable = true;
    for (const n of items) {
      if (!nullable) break;
      first = union(first, n.first);
      nullable = n.nullable;
    }
    const head = items[0];
    return {
      repeats: false,
      innerRepeats: items.some((n) => n.repeats || n.innerRepeats),
      first,
      chars: items.map((n) => n.chars).reduce(union, none()),
      repeatedChars: items.map((n) => (n.repeats ? n.chars : n.repeatedChars)).reduce(union, none()),
      nullable,
      lead: head && !head.nullable && !head.repeats && !head.innerRepeats ? head.chars : null,
    };
  }

  private quantified(): Node {
    const atom = this.atom();
    const q = /^(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})/.exec(this.src.slice(this.i));
    if (!q) return atom;
    this.i += q[0].length;
    if (this.src[this.i] === '?') this.i++; // lazy: same paths, other order
    let min = 0;
    let max = Infinity;
    if (q[0] === '+') min = 1;
    else if (q[0] === '?') max = 1;
    else if (q[1] !== undefined) {
      min = Number(q[1]);
      max = q[2] ? (q[3] ? Number(q[3]) : Infinity) : min;
    }
    const repeats = max > 1;
    const branches = atom.branches ?? [atom];
    if (repeats && atom.innerRepeats) {
      const unambiguous = branches.every((b) => b.lead && !overlaps(b.lead, atom.repeatedChars));
      if (!unambiguous)
        throw new Error('nested quantifiers (a repeated group containing a repeated item, like (a+)+)');
    }
    if (repeats && branches.length > 1) {
      for (let a = 0; a < branches.length; a++)
        for (let b = a + 1; b < branches.length; b++)
          if (overlaps(branches[a]!.first, branches[b]!.first))
            throw new Error('a repeated alternation whose branches can match the same text, like (a|ab)*');
    }
    return { ...atom, repeats: atom.repeats || repeats, nullable: atom.nullable || min === 0 };
  }

  private atom(): Node {
    const ch = this.src[this.i++]!;
    if (ch === '(') {
      let lookaround = false;
      if (this.src[this.i] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(this.src.slice(this.i));
        if (!m) throw new Error('unsupported group syntax');
        lookaround = /^\?(?:=|!|<=|<!)/.test(m[0]);
        this.i += m[0].length;
      }
      const inner = this.alternation();
      if (this.src[this.i++] !== ')') throw new Error('unbalanced parenthesis');
      // A lookaround consumes nothing: what follows it is what comes first.
      return lookaround ? zeroWidth(inner.innerRepeats) : inner;
    }
    if (ch === '^' || ch === '$') return zeroWidth();
    let set: CharSet;
    if (ch === '[') set = this.charClass();
    else if (ch === '.') set = all();
    else if (ch === '\\') {
      const e = this.src[this.i++] ?? '\\';
      if (e === 'b' || e === 'B') return zeroWidth();
      set = escapeSet(e);
    } else set = of(ch);
    set = this.fold(set);
    return {
      repeats: false,
      innerRepeats: false,
      first: set,
      chars: set,
      repeatedChars: none(),
      nullable: false,
    };
  }

  private charClass(): CharSet {
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    let set = none();
    let prev = -1;
    for (let first = true; this.i < this.src.length && (first || this.src[this.i] !== ']'); first = false) {
      let ch = this.src[this.i++]!;
      if (ch === '\\') {
        const e = this.src[this.i++] ?? '\\';
        if (/[dDwWsSpPxuc]/.test(e)) {
          set = union(set, escapeSet(e));
          prev = -1;
          continue;
        }
        ch = e;
      }
      if (ch === '-' && prev >= 0 && this.src[this.i] !== ']') {
        const to = this.src[this.i++]!;
        const end = to === '\\' ? this.src.charCodeAt(this.i++) : to.charCodeAt(0);
        set = union(set, end < 128 ? range(prev, end) : { ...range(prev, 127), other: true });
        prev = -1;
        continue;
      }
      set = union(set, of(ch));
      prev = ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : -1;
    }
    this.i++; // ']'
    return negated ? complement(set) : set;
  }

  private fold(s: CharSet): CharSet {
    if (!this.caseless) return s;
    const out = { ascii: [...s.ascii], other: s.other };
    for (let c = 65; c <= 90; c++) if (s.ascii[c] || s.ascii[c + 32]) out.ascii[c] = out.ascii[c + 32] = true;
    return out;
  }
}

/** Why the pattern may backtrack catastrophically, or null when it looks safe. */
export function backtrackingProblem(source: string, flags = ''): string | null {
  return new Parser(source, flags.includes('i')).problem();
}
