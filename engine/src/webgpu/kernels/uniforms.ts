// A kernel's uniform parameters by name. A kernel declares its fields once; from that one
// declaration come the WGSL struct its shader reads (`P.rows`, `P.alpha`, `shape_at(k)`)
// and the packing of the values the host writes, so the two cannot disagree about which
// word holds what. Field offsets follow WGSL's struct layout for the uniform address
// space: scalars take one word, `dims` (a shape or strides, MAX_RANK u32 values) is an
// array of vec4<u32> that starts on a 16-byte boundary.

import { MAX_RANK, PARAM_WORDS } from './common';

export type UniformType = 'u32' | 'i32' | 'f32' | 'dims';
export type UniformSpec = Record<string, UniformType>;

/** What the host supplies for each field: a number, or up to MAX_RANK sizes (padded with 0). */
export type UniformValues<S extends UniformSpec> = { [K in keyof S]: S[K] extends 'dims' ? readonly number[] : number };

interface Field {
  name: string;
  type: UniformType;
  /** Offset in 32-bit words. */
  at: number;
}

export class Uniforms<S extends UniformSpec> {
  private readonly fields: Field[] = [];

  constructor(spec: S) {
    let at = 0;
    for (const [name, type] of Object.entries(spec)) {
      if (type === 'dims') at = Math.ceil(at / 4) * 4;
      this.fields.push({ name, type, at });
      at += type === 'dims' ? MAX_RANK : 1;
    }
    if (at > PARAM_WORDS) throw new Error(`webgpu: ${at} uniform words exceed ${PARAM_WORDS}`);
  }

  /** The struct, its binding as `P`, and `<name>_at(k)` for each dims field. */
  wgsl(): string {
    const members = this.fields.map((f) => `  ${f.name}: ${f.type === 'dims' ? `array<vec4<u32>, ${MAX_RANK / 4}>` : f.type},`);
    const accessors = this.fields
      .filter((f) => f.type === 'dims')
      .map((f) => `fn ${f.name}_at(k: u32) -> u32 { return P.${f.name}[k / 4u][k % 4u]; }`);
    return [`struct Params {\n${members.join('\n')}\n}`, '@group(0) @binding(0) var<uniform> P: Params;', ...accessors].join('\n') + '\n';
  }

  /** The uniform words of one dispatch. */
  pack(values: UniformValues<S>): Uint32Array {
    const words = new Uint32Array(PARAM_WORDS);
    const f32 = new Float32Array(words.buffer);
    const i32 = new Int32Array(words.buffer);
    for (const f of this.fields) {
      const v: number | readonly number[] = values[f.name];
      if (typeof v !== 'number') {
        if (v.length > MAX_RANK) throw new Error(`webgpu: rank ${v.length} exceeds ${MAX_RANK}`);
        v.forEach((d, k) => (words[f.at + k] = d >>> 0));
      } else if (f.type === 'f32') f32[f.at] = v;
      else if (f.type === 'i32') i32[f.at] = v;
      else words[f.at] = v >>> 0;
    }
    return words;
  }
}
