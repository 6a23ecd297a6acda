// Netspec's WebAssembly SIMD kernels (wasm32 + simd128, no libc). Built by
// scripts/build_wasm.sh; the TypeScript side (engine/src/wasm/backend.ts) owns the linear
// memory, allocates every tensor in it and calls these functions with byte offsets.
//
// GEMM: C[M,N] = A[M,K] * B[K,N] with arbitrary row/column strides for A and B (so every
// transpose is the same code), blocked BLIS-style: B is packed into KC x NR panels, A into
// MR x KC panels, and an MR x NR micro-kernel keeps its tile of C in registers.

#include <wasm_simd128.h>

typedef v128_t V;

#ifndef MR
#define MR 4
#endif
#ifndef NR
#define NR 8
#endif
#define KC 256
#define MC 64
#define NC 512
#define MAX_THREADS 4

static float pack_a_buf[MAX_THREADS][MC * KC] __attribute__((aligned(16)));
static float pack_b_buf[MAX_THREADS][KC * NC] __attribute__((aligned(16)));
// Edge tiles go through here (static, per thread, so no function uses the shadow stack and
// threads sharing one memory need no stacks of their own).
static float tile_buf[MAX_THREADS][MR * NR] __attribute__((aligned(16)));

static inline int min_i(int a, int b) { return a < b ? a : b; }

// B block (kc x nc starting at B) into panels of NR columns: panel j holds kc rows of NR floats.
static void pack_b(int kc, int nc, const float *B, int rs, int cs, float *out) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    int nr = min_i(NR, nc - j0);
    const float *src = B + (long)j0 * cs;
    if (nr == NR && cs == 1) {
      for (int p = 0; p < kc; p++) {
        const float *s = src + (long)p * rs;
        for (int j = 0; j < NR; j += 4) wasm_v128_store(out + j, wasm_v128_load(s + j));
        out += NR;
      }
    } else if (rs == 1) {
      // B transposed: each column is contiguous in p, so read down columns.
      for (int j = 0; j < NR; j++) {
        if (j < nr) {
          const float *s = src + (long)j * cs;
          for (int p = 0; p < kc; p++) out[p * NR + j] = s[p];
        } else {
          for (int p = 0; p < kc; p++) out[p * NR + j] = 0.0f;
        }
      }
      out += NR * kc;
    } else {
      for (int p = 0; p < kc; p++) {
        const float *s = src + (long)p * rs;
        int j = 0;
        for (; j < nr; j++) out[j] = s[(long)j * cs];
        for (; j < NR; j++) out[j] = 0.0f;
        out += NR;
      }
    }
  }
}

// A block (mc x kc) into panels of MR rows: panel i holds kc columns of MR floats.
static void pack_a(int mc, int kc, const float *A, int rs, int cs, float *out) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    int mr = min_i(MR, mc - i0);
    if (rs == 1 && mr == MR) {
      // A transposed: the MR rows of one column are contiguous.
      const float *s = A + i0;
      for (int p = 0; p < kc; p++) {
        for (int i = 0; i < MR; i += 4) wasm_v128_store(out + p * MR + i, wasm_v128_load(s + (long)p * cs + i));
      }
    } else {
      for (int i = 0; i < MR; i++) {
        if (i < mr) {
          const float *s = A + (long)(i0 + i) * rs;
          if (cs == 1) for (int p = 0; p < kc; p++) out[p * MR + i] = s[p];
          else for (int p = 0; p < kc; p++) out[p * MR + i] = s[(long)p * cs];
        } else {
          for (int p = 0; p < kc; p++) out[p * MR + i] = 0.0f;
        }
      }
    }
    out += MR * kc;
  }
}

#if MR == 4 && NR == 16
#define ROWS(X) X(0) X(1) X(2) X(3)
#elif MR == 6 && NR == 8
#define ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5)
#elif MR == 4 && NR == 8
#define ROWS(X) X(0) X(1) X(2) X(3)
#elif MR == 8 && NR == 8
#define ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#endif

// The MR x NR tile: C (ldc) = (accumulate ? C : 0) + a_panel * b_panel over kc.
static void micro(int kc, const float *a, const float *b, float *C, int ldc, int accumulate, int mr, int nr, float *tile) {
#if NR == 16
#define DECL(i) V c##i##0 = wasm_f32x4_splat(0), c##i##1 = c##i##0, c##i##2 = c##i##0, c##i##3 = c##i##0;
  ROWS(DECL)
  for (int p = 0; p < kc; p++) {
    V b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4), b2 = wasm_v128_load(b + 8), b3 = wasm_v128_load(b + 12);
#define STEP(i) { V ai = wasm_v128_load32_splat(a + i); \
    c##i##0 = wasm_f32x4_add(c##i##0, wasm_f32x4_mul(ai, b0)); c##i##1 = wasm_f32x4_add(c##i##1, wasm_f32x4_mul(ai, b1)); \
    c##i##2 = wasm_f32x4_add(c##i##2, wasm_f32x4_mul(ai, b2)); c##i##3 = wasm_f32x4_add(c##i##3, wasm_f32x4_mul(ai, b3)); }
    ROWS(STEP)
    a += MR;
    b += NR;
  }
#define SAVE(i) wasm_v128_store(tile + i * NR, c##i##0); wasm_v128_store(tile + i * NR + 4, c##i##1); \
    wasm_v128_store(tile + i * NR + 8, c##i##2); wasm_v128_store(tile + i * NR + 12, c##i##3);
#else
#define DECL(i) V c##i##0 = wasm_f32x4_splat(0), c##i##1 = c##i##0;
  ROWS(DECL)
  for (int p = 0; p < kc; p++) {
    V b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
#define STEP(i) { V ai = wasm_v128_load32_splat(a + i); \
    c##i##0 = wasm_f32x4_add(c##i##0, wasm_f32x4_mul(ai, b0)); c##i##1 = wasm_f32x4_add(c##i##1, wasm_f32x4_mul(ai, b1)); }
    ROWS(STEP)
    a += MR;
    b += NR;
  }
#define SAVE(i) wasm_v128_store(tile + i * NR, c##i##0); wasm_v128_store(tile + i * NR + 4, c##i##1);
#endif
  if (mr == MR && nr == NR) {
    // A full tile goes straight from the registers to C.
#if NR == 16
#define STORE(i) { float *r = C + (long)i * ldc; \
      if (accumulate) { c##i##0 = wasm_f32x4_add(c##i##0, wasm_v128_load(r)); c##i##1 = wasm_f32x4_add(c##i##1, wasm_v128_load(r + 4)); \
        c##i##2 = wasm_f32x4_add(c##i##2, wasm_v128_load(r + 8)); c##i##3 = wasm_f32x4_add(c##i##3, wasm_v128_load(r + 12)); } \
      wasm_v128_store(r, c##i##0); wasm_v128_store(r + 4, c##i##1); wasm_v128_store(r + 8, c##i##2); wasm_v128_store(r + 12, c##i##3); }
#else
#define STORE(i) { float *r = C + (long)i * ldc; \
      if (accumulate) { c##i##0 = wasm_f32x4_add(c##i##0, wasm_v128_load(r)); c##i##1 = wasm_f32x4_add(c##i##1, wasm_v128_load(r + 4)); } \
      wasm_v128_store(r, c##i##0); wasm_v128_store(r + 4, c##i##1); }
#endif
    ROWS(STORE)
    return;
  }
  ROWS(SAVE)
  for (int i = 0; i < mr; i++) {
    float *r = C + (long)i * ldc;
    for (int j = 0; j < nr; j++) r[j] = accumulate ? r[j] + tile[i * NR + j] : tile[i * NR + j];
  }
}

// Rows [m0, m1) of C = A * B for the column block [j0, j0 + nc) and depth block [p0, p0 + kc),
// with B's panels already packed.
static void gemm_rows(int m0, int m1, int nc, int kc, int p0, const float *A, int ars, int acs,
                      const float *bp, float *C, int ldc, int j0, float *pa, int accumulate, float *tile) {
  for (int i0 = m0; i0 < m1; i0 += MC) {
    int mc = min_i(MC, m1 - i0);
    pack_a(mc, kc, A + (long)i0 * ars + (long)p0 * acs, ars, acs, pa);
    for (int jr = 0; jr < nc; jr += NR) {
      int nr = min_i(NR, nc - jr);
      for (int ir = 0; ir < mc; ir += MR) {
        int mr = min_i(MR, mc - ir);
        micro(kc, pa + ir * kc, bp + jr * kc, C + (long)(i0 + ir) * ldc + j0 + jr, ldc, accumulate, mr, nr, tile);
      }
    }
  }
}

// C[M,N] (row-major, ldc = N) = A * B, or C += A * B when accumulate is set; element (i,p)
// of A is A[i*ars + p*acs], element (p,j) of B is B[p*brs + j*bcs]. `tid` picks the packing
// buffers, so threads sharing the memory can each run a block of rows at once.
static void gemm_t(int tid, int M, int N, int K, const float *A, int ars, int acs, const float *B, int brs, int bcs, float *C, int accumulate) {
  if (K == 0) {
    if (!accumulate) for (long i = 0; i < (long)M * N; i++) C[i] = 0.0f;
    return;
  }
  for (int j0 = 0; j0 < N; j0 += NC) {
    int nc = min_i(NC, N - j0);
    for (int p0 = 0; p0 < K; p0 += KC) {
      int kc = min_i(KC, K - p0);
      pack_b(kc, nc, B + (long)p0 * brs + (long)j0 * bcs, brs, bcs, pack_b_buf[tid]);
      gemm_rows(0, M, nc, kc, p0, A, ars, acs, pack_b_buf[tid], C, N, j0, pack_a_buf[tid], accumulate || p0 > 0, tile_buf[tid]);
    }
  }
}

__attribute__((export_name("gemm")))
void gemm(int tid, int M, int N, int K, const float *A, int ars, int acs, const float *B, int brs, int bcs, float *C, int accumulate) {
  gemm_t(tid, M, N, K, A, ars, acs, B, brs, bcs, C, accumulate);
}

// C[M,N] += bias[N] (bias may be null), then act: 0 none, 1 relu (NaN stays NaN).
__attribute__((export_name("bias_act")))
void bias_act(int M, int N, float *C, const float *bias, int act) {
  V zero = wasm_f32x4_splat(0);
  for (int i = 0; i < M; i++) {
    float *r = C + (long)i * N;
    int j = 0;
    for (; j + 4 <= N; j += 4) {
      V v = wasm_v128_load(r + j);
      if (bias) v = wasm_f32x4_add(v, wasm_v128_load(bias + j));
      // relu: x > 0 || x != x ? x : 0
      if (act == 1) v = wasm_v128_and(v, wasm_v128_or(wasm_f32x4_gt(v, zero), wasm_f32x4_ne(v, v)));
      wasm_v128_store(r + j, v);
    }
    for (; j < N; j++) {
      float v = r[j];
      if (bias) v += bias[j];
      if (act == 1) v = (v > 0 || v != v) ? v : 0.0f;
      r[j] = v;
    }
  }
}

// ---- convolution: im2col / col2im in NHWC, the GEMM does the rest ----

// Rows [row0, row0 + rows) of the patch matrix: row (b, oy, ox), column (r, s, c), zero
// where the window leaves the image; out is rows x (kh*kw*C).
__attribute__((export_name("im2col")))
void im2col(const float *x, int H, int W, int C, int kh, int kw, int sh, int sw, int pt, int pl,
            int OH, int OW, int row0, int rows, float *out) {
  int kcols = kh * kw * C;
  for (int rr = 0; rr < rows; rr++) {
    int row = row0 + rr;
    int ox = row % OW, t = row / OW, oy = t % OH, b = t / OH;
    float *o = out + (long)rr * kcols;
    for (int r = 0; r < kh; r++) {
      int iy = oy * sh - pt + r;
      for (int s = 0; s < kw; s++) {
        int ix = ox * sw - pl + s;
        float *d = o + (r * kw + s) * C;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
          for (int c = 0; c < C; c++) d[c] = 0.0f;
        } else {
          const float *src = x + (((long)b * H + iy) * W + ix) * C;
          int c = 0;
          for (; c + 4 <= C; c += 4) wasm_v128_store(d + c, wasm_v128_load(src + c));
          for (; c < C; c++) d[c] = src[c];
        }
      }
    }
  }
}

// The adjoint of im2col: dx (zeroed by the caller) += each in-bounds patch entry.
__attribute__((export_name("col2im")))
void col2im(const float *cols, int H, int W, int C, int kh, int kw, int sh, int sw, int pt, int pl,
            int OH, int OW, int row0, int rows, float *dx) {
  int kcols = kh * kw * C;
  for (int rr = 0; rr < rows; rr++) {
    int row = row0 + rr;
    int ox = row % OW, t = row / OW, oy = t % OH, b = t / OH;
    const float *o = cols + (long)rr * kcols;
    for (int r = 0; r < kh; r++) {
      int iy = oy * sh - pt + r;
      if (iy < 0 || iy >= H) continue;
      for (int s = 0; s < kw; s++) {
        int ix = ox * sw - pl + s;
        if (ix < 0 || ix >= W) continue;
        const float *src = o + (r * kw + s) * C;
        float *d = dx + (((long)b * H + iy) * W + ix) * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) wasm_v128_store(d + c, wasm_f32x4_add(wasm_v128_load(d + c), wasm_v128_load(src + c)));
        for (; c < C; c++) d[c] += src[c];
      }
    }
  }
}

// Convolutions over output rows [row0, row1) (row = (b, oy, ox)), in chunks of `chunk` patch
// rows built in `cols` (chunk * kh*kw*C floats, private to the thread).

__attribute__((export_name("conv_fwd")))
void conv_fwd(int tid, const float *x, const float *w, float *y, int H, int W, int C, int kh, int kw, int sh, int sw,
              int pt, int pl, int OH, int OW, int F, int row0, int row1, int chunk, float *cols) {
  int kcols = kh * kw * C;
  for (int r = row0; r < row1; r += chunk) {
    int rows = min_i(chunk, row1 - r);
    im2col(x, H, W, C, kh, kw, sh, sw, pt, pl, OH, OW, r, rows, cols);
    gemm_t(tid, rows, F, kcols, cols, kcols, 1, w, F, 1, y + (long)r * F, 0);
  }
}

// A direct convolution for few input channels (the first layer of an image model, C = 1 or
// 3): rows [row0, row1) of y, F a multiple of 4, each output pixel's filters 16 at a time in
// registers, one splat per tap instead of a patch matrix and a GEMM with K = kh*kw*C.
__attribute__((export_name("conv_direct")))
void conv_direct(int tid, const float *x, const float *w, float *y, int H, int W, int C, int kh, int kw, int sh, int sw,
                 int pt, int pl, int OH, int OW, int F, int row0, int row1) {
  (void)tid;
  for (int row = row0; row < row1; row++) {
    int ox = row % OW, t = row / OW, oy = t % OH, b = t / OH;
    int y0 = oy * sh - pt, x0 = ox * sw - pl;
    int r0 = y0 < 0 ? -y0 : 0, r1 = kh < H - y0 ? kh : H - y0;
    int s0 = x0 < 0 ? -x0 : 0, s1 = kw < W - x0 ? kw : W - x0;
    float *o = y + (long)row * F;
    for (int f0 = 0; f0 < F; f0 += 16) {
      int nf = min_i(16, F - f0);
      V a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
      for (int r = r0; r < r1; r++)
        for (int s = s0; s < s1; s++) {
          const float *xp = x + (((long)b * H + y0 + r) * W + x0 + s) * C;
          const float *wp = w + ((long)(r * kw + s) * C) * F + f0;
          for (int c = 0; c < C; c++, wp += F) {
            V v = wasm_v128_load32_splat(xp + c);
            a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(v, wasm_v128_load(wp)));
            if (nf > 4) a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(v, wasm_v128_load(wp + 4)));
            if (nf > 8) a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(v, wasm_v128_load(wp + 8)));
            if (nf > 12) a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(v, wasm_v128_load(wp + 12)));
          }
        }
      wasm_v128_store(o + f0, a0);
      if (nf > 4) wasm_v128_store(o + f0 + 4, a1);
      if (nf > 8) wasm_v128_store(o + f0 + 8, a2);
      if (nf > 12) wasm_v128_store(o + f0 + 12, a3);
    }
  }
}

// dx (zeroed by the caller over the images these rows belong to) += col2im(dy * w^T).
__attribute__((export_name("conv_grad_input")))
void conv_grad_input(int tid, const float *dy, const float *w, float *dx, int H, int W, int C, int kh, int kw, int sh, int sw,
                     int pt, int pl, int OH, int OW, int F, int row0, int row1, int chunk, float *cols) {
  int kcols = kh * kw * C;
  for (int r = row0; r < row1; r += chunk) {
    int rows = min_i(chunk, row1 - r);
    gemm_t(tid, rows, kcols, F, dy + (long)r * F, F, 1, w, 1, F, cols, 0);
    col2im(cols, H, W, C, kh, kw, sh, sw, pt, pl, OH, OW, r, rows, dx);
  }
}

// dw [kcols, F] (+)= im2col(x)^T * dy over the rows; accumulate adds to what dw holds.
__attribute__((export_name("conv_grad_filter")))
void conv_grad_filter(int tid, const float *x, const float *dy, float *dw, int H, int W, int C, int kh, int kw, int sh, int sw,
                      int pt, int pl, int OH, int OW, int F, int row0, int row1, int chunk, float *cols, int accumulate) {
  int kcols = kh * kw * C;
  if (row0 >= row1 && !accumulate) {
    for (long i = 0; i < (long)kcols * F; i++) dw[i] = 0.0f;
    return;
  }
  for (int r = row0; r < row1; r += chunk) {
    int rows = min_i(chunk, row1 - r);
    im2col(x, H, W, C, kh, kw, sh, sw, pt, pl, OH, OW, r, rows, cols);
    gemm_t(tid, kcols, F, rows, cols, 1, kcols, dy + (long)r * F, F, 1, dw, accumulate || r > row0);
  }
}

// ---- elementwise ----

// out[i] = f(a[i % na], b[i % nb]) for i < n; fn: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min.
// max/min follow the reference: a >= b || a != a ? a : b (NaN wins on either side).
#define BIN_LOOP(VEXPR, SEXPR) \
  if (na == n && nb == n) { \
    long i = 0; \
    for (; i + 4 <= n; i += 4) { V x = wasm_v128_load(a + i), y = wasm_v128_load(b + i); wasm_v128_store(out + i, VEXPR); } \
    for (; i < n; i++) { float x = a[i], y = b[i]; out[i] = SEXPR; } \
  } else if (na == n && nb == 1) { \
    V y = wasm_f32x4_splat(b[0]); float ys = b[0]; long i = 0; \
    for (; i + 4 <= n; i += 4) { V x = wasm_v128_load(a + i); wasm_v128_store(out + i, VEXPR); } \
    for (; i < n; i++) { float x = a[i], y = ys; out[i] = SEXPR; } \
  } else if (na == 1 && nb == n) { \
    V x = wasm_f32x4_splat(a[0]); float xs = a[0]; long i = 0; \
    for (; i + 4 <= n; i += 4) { V y = wasm_v128_load(b + i); wasm_v128_store(out + i, VEXPR); } \
    for (; i < n; i++) { float x = xs, y = b[i]; out[i] = SEXPR; } \
  } else if (na == n) { \
    for (long r = 0; r < n; r += nb) { long j = 0; \
      for (; j + 4 <= nb; j += 4) { V x = wasm_v128_load(a + r + j), y = wasm_v128_load(b + j); wasm_v128_store(out + r + j, VEXPR); } \
      for (; j < nb; j++) { float x = a[r + j], y = b[j]; out[r + j] = SEXPR; } } \
  } else { \
    for (long r = 0; r < n; r += na) { long j = 0; \
      for (; j + 4 <= na; j += 4) { V x = wasm_v128_load(a + j), y = wasm_v128_load(b + r + j); wasm_v128_store(out + r + j, VEXPR); } \
      for (; j < na; j++) { float x = a[j], y = b[r + j]; out[r + j] = SEXPR; } } \
  }

__attribute__((export_name("binary")))
void binary(int fn, long n, const float *a, long na, const float *b, long nb, float *out) {
  switch (fn) {
    case 0: BIN_LOOP(wasm_f32x4_add(x, y), x + y) break;
    case 1: BIN_LOOP(wasm_f32x4_sub(x, y), x - y) break;
    case 2: BIN_LOOP(wasm_f32x4_mul(x, y), x * y) break;
    case 3: BIN_LOOP(wasm_f32x4_div(x, y), x / y) break;
    case 4: BIN_LOOP(wasm_v128_bitselect(x, y, wasm_v128_or(wasm_f32x4_ge(x, y), wasm_f32x4_ne(x, x))), (x >= y || x != x) ? x : y) break;
    case 5: BIN_LOOP(wasm_v128_bitselect(x, y, wasm_v128_or(wasm_f32x4_le(x, y), wasm_f32x4_ne(x, x))), (x <= y || x != x) ? x : y) break;
  }
}

// out = f(x): 0 relu, 1 neg, 2 abs, 3 square, 4 sqrt, 5 affine (x*alpha + beta).
__attribute__((export_name("unary")))
void unary(int fn, long n, const float *x, float *out, float alpha, float beta) {
  V zero = wasm_f32x4_splat(0), va = wasm_f32x4_splat(alpha), vb = wasm_f32x4_splat(beta);
  long i = 0;
  for (; i + 4 <= n; i += 4) {
    V v = wasm_v128_load(x + i), r;
    switch (fn) {
      case 0: r = wasm_v128_and(v, wasm_v128_or(wasm_f32x4_gt(v, zero), wasm_f32x4_ne(v, v))); break;
      case 1: r = wasm_f32x4_neg(v); break;
      case 2: r = wasm_f32x4_abs(v); break;
      case 3: r = wasm_f32x4_mul(v, v); break;
      case 4: r = wasm_f32x4_sqrt(v); break;
      default: r = wasm_f32x4_add(wasm_f32x4_mul(v, va), vb); break;
    }
    wasm_v128_store(out + i, r);
  }
  for (; i < n; i++) {
    float v = x[i], r;
    switch (fn) {
      case 0: r = (v > 0 || v != v) ? v : 0.0f; break;
      case 1: r = -v; break;
      case 2: r = v < 0 ? -v : v; break;
      case 3: r = v * v; break;
      case 4: r = __builtin_sqrtf(v); break;
      default: r = v * alpha + beta; break;
    }
    out[i] = r;
  }
}

// relu's gradient: out = dy * (y > 0 ? 1 : 0).
__attribute__((export_name("relu_grad")))
void relu_grad(long n, const float *y, const float *dy, float *out) {
  V zero = wasm_f32x4_splat(0), one = wasm_f32x4_splat(1);
  long i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(dy + i), wasm_v128_and(one, wasm_f32x4_gt(wasm_v128_load(y + i), zero))));
  for (; i < n; i++) out[i] = dy[i] * (y[i] > 0 ? 1.0f : 0.0f);
}

// x [R, C]: out[c] = scale * sum_r x[r, c] (a reduction over leading axes).
__attribute__((export_name("sum_rows")))
void sum_rows(long R, long C, const float *x, float *out, float scale) {
  long j = 0;
  for (; j + 16 <= C; j += 16) {
    V s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (long r = 0; r < R; r++) {
      const float *p = x + r * C + j;
      s0 = wasm_f32x4_add(s0, wasm_v128_load(p)); s1 = wasm_f32x4_add(s1, wasm_v128_load(p + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(p + 8)); s3 = wasm_f32x4_add(s3, wasm_v128_load(p + 12));
    }
    V sc = wasm_f32x4_splat(scale);
    wasm_v128_store(out + j, wasm_f32x4_mul(s0, sc)); wasm_v128_store(out + j + 4, wasm_f32x4_mul(s1, sc));
    wasm_v128_store(out + j + 8, wasm_f32x4_mul(s2, sc)); wasm_v128_store(out + j + 12, wasm_f32x4_mul(s3, sc));
  }
  for (; j < C; j++) {
    float s = 0;
    for (long r = 0; r < R; r++) s += x[r * C + j];
    out[j] = s * scale;
  }
}

// ---- pooling (NHWC), vectorised over channels ----

// Max (fn 0) or average (fn 1) pooling. Max takes the window's largest value or NaN when the
// window holds one (v > m || v != v ? v : m, the first tap starting the scan); average divides
// the in-bounds sum by the in-bounds count.
__attribute__((export_name("pool2d")))
void pool2d(int fn, const float *x, int N, int H, int W, int C, int ph, int pw, int sh, int sw, int pt, int pl,
            int OH, int OW, float *y) {
  for (int b = 0; b < N; b++)
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        float *o = y + (((long)b * OH + oy) * OW + ox) * C;
        int y0 = oy * sh - pt, x0 = ox * sw - pl;
        int r0 = y0 < 0 ? -y0 : 0, r1 = ph < H - y0 ? ph : H - y0;
        int s0 = x0 < 0 ? -x0 : 0, s1 = pw < W - x0 ? pw : W - x0;
        int count = (r1 - r0) * (s1 - s0);
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          V acc = wasm_f32x4_splat(0);
          int first = 1;
          for (int r = r0; r < r1; r++)
            for (int s = s0; s < s1; s++) {
              V v = wasm_v128_load(x + (((long)b * H + y0 + r) * W + x0 + s) * C + c);
              if (first) acc = v;
              else if (fn == 0) acc = wasm_v128_bitselect(v, acc, wasm_v128_or(wasm_f32x4_gt(v, acc), wasm_f32x4_ne(v, v)));
              else acc = wasm_f32x4_add(acc, v);
              first = 0;
            }
          if (fn == 1) acc = wasm_f32x4_div(acc, wasm_f32x4_splat((float)count));
          wasm_v128_store(o + c, acc);
        }
        for (; c < C; c++) {
          float acc = 0;
          int first = 1;
          for (int r = r0; r < r1; r++)
            for (int s = s0; s < s1; s++) {
              float v = x[(((long)b * H + y0 + r) * W + x0 + s) * C + c];
              if (first) acc = v;
              else if (fn == 0) acc = (v > acc || v != v) ? v : acc;
              else acc += v;
              first = 0;
            }
          o[c] = fn == 1 ? acc / (float)count : acc;
        }
      }
}

// The gradient of pool2d; dx must be zeroed by the caller. Max routes each window's dy to
// the first tap equal to its output (NaN matching NaN); average spreads dy / count.
__attribute__((export_name("pool2d_grad")))
void pool2d_grad(int fn, const float *x, const float *y, const float *dy, int N, int H, int W, int C, int ph, int pw,
                 int sh, int sw, int pt, int pl, int OH, int OW, float *dx) {
  for (int b = 0; b < N; b++)
    for (int oy = 0; oy < OH; oy++)
      for (int ox = 0; ox < OW; ox++) {
        long oi = (((long)b * OH + oy) * OW + ox) * C;
        int y0 = oy * sh - pt, x0 = ox * sw - pl;
        int r0 = y0 < 0 ? -y0 : 0, r1 = ph < H - y0 ? ph : H - y0;
        int s0 = x0 < 0 ? -x0 : 0, s1 = pw < W - x0 ? pw : W - x0;
        int count = (r1 - r0) * (s1 - s0);
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          V g = wasm_v128_load(dy + oi + c);
          if (fn == 1) {
            g = wasm_f32x4_div(g, wasm_f32x4_splat((float)count));
            for (int r = r0; r < r1; r++)
              for (int s = s0; s < s1; s++) {
                float *d = dx + (((long)b * H + y0 + r) * W + x0 + s) * C + c;
                wasm_v128_store(d, wasm_f32x4_add(wasm_v128_load(d), g));
              }
            continue;
          }
          V m = wasm_v128_load(y + oi + c);
          V mnan = wasm_f32x4_ne(m, m);
          V routed = wasm_i32x4_splat(0);
          for (int r = r0; r < r1; r++)
            for (int s = s0; s < s1; s++) {
              long xi = (((long)b * H + y0 + r) * W + x0 + s) * C + c;
              V v = wasm_v128_load(x + xi);
              V hit = wasm_v128_andnot(wasm_v128_or(wasm_f32x4_eq(v, m), wasm_v128_and(wasm_f32x4_ne(v, v), mnan)), routed);
              // Branch-free: a lane that is not hit adds +0 (dx is never -0 here, it starts at +0).
              wasm_v128_store(dx + xi, wasm_f32x4_add(wasm_v128_load(dx + xi), wasm_v128_and(g, hit)));
              routed = wasm_v128_or(routed, hit);
            }
        }
        for (; c < C; c++) {
          float g = dy[oi + c];
          if (fn == 1) {
            g = g / (float)count;
            for (int r = r0; r < r1; r++)
              for (int s = s0; s < s1; s++) dx[(((long)b * H + y0 + r) * W + x0 + s) * C + c] += g;
            continue;
          }
          float m = y[oi + c];
          int done = 0;
          for (int r = r0; r < r1 && !done; r++)
            for (int s = s0; s < s1 && !done; s++) {
              long xi = (((long)b * H + y0 + r) * W + x0 + s) * C + c;
              float v = x[xi];
              if (v == m || (v != v && m != m)) { dx[xi] += g; done = 1; }
            }
        }
      }
}

// ---- optimizers ----

// One Adam step in place, with exactly the float32 arithmetic of the ops the optimizer
// otherwise runs one by one (engine/src/optimizers.ts): each affine is x*a + b with a and b
// in float32 (b = 0 included, so -0 becomes +0 as there), then add, square, sqrt, div, sub.
//   m = (m*b1 + 0) + (g*c1 + 0); v = (v*b2 + 0) + ((g*g)*c2 + 0)
//   w = w - ((m / (sqrt(v)*1 + eps)) * alpha + 0)
__attribute__((export_name("adam")))
void adam(long n, float *w, const float *g, float *m, float *v, float b1, float c1, float b2, float c2, float eps, float alpha) {
  V zero = wasm_f32x4_splat(0), one = wasm_f32x4_splat(1);
  V vb1 = wasm_f32x4_splat(b1), vc1 = wasm_f32x4_splat(c1), vb2 = wasm_f32x4_splat(b2), vc2 = wasm_f32x4_splat(c2);
  V veps = wasm_f32x4_splat(eps), valpha = wasm_f32x4_splat(alpha);
  long i = 0;
  for (; i + 4 <= n; i += 4) {
    V gi = wasm_v128_load(g + i);
    V m2 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), zero), wasm_f32x4_add(wasm_f32x4_mul(gi, vc1), zero));
    V v2 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2), zero),
                          wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), vc2), zero));
    V den = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sqrt(v2), one), veps);
    V step = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_div(m2, den), valpha), zero);
    wasm_v128_store(w + i, wasm_f32x4_sub(wasm_v128_load(w + i), step));
    wasm_v128_store(m + i, m2);
    wasm_v128_store(v + i, v2);
  }
  for (; i < n; i++) {
    float gi = g[i];
    float m2 = (m[i] * b1 + 0.0f) + (gi * c1 + 0.0f);
    float v2 = (v[i] * b2 + 0.0f) + ((gi * gi) * c2 + 0.0f);
    float den = __builtin_sqrtf(v2) * 1.0f + eps;
    float step = (m2 / den) * alpha + 0.0f;
    w[i] = w[i] - step;
    m[i] = m2;
    v[i] = v2;
  }
}
