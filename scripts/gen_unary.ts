// Writes the CPU reference of the unary functions (engine/src/cpu/unary_generated.ts) from
// their expressions in engine/src/primitives/unary_fns.ts. Run after changing that table:
// `npx tsx scripts/gen_unary.ts`.

import { writeFileSync } from 'node:fs';
import { UNARY_GENERATED_PATH, unaryJsSource } from '../engine/src/primitives/unary_js_source';

writeFileSync(UNARY_GENERATED_PATH, unaryJsSource());
console.log(`wrote ${UNARY_GENERATED_PATH}`);
