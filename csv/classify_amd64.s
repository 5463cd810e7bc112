//go:build !purego

#include "textflag.h"

// LANE classifies the 16 bytes at ld(SI) and stores six 16-bit masks, one
// bit per byte: commas at c(DI), line feeds at n(DI), quotes at q(DI),
// carriage returns at r(DI), bytes below 0x21 as signed (controls, spaces
// and every byte from 0x80) at t(DI), and bytes from 0x80 at h(DI).
#define LANE(ld, c, n, q, r, t, h) \
	MOVOU ld(SI), X0 \
	MOVOU X0, X5 \
	PCMPEQB X1, X5 \
	PMOVMSKB X5, AX \
	MOVW AX, c(DI) \
	MOVOU X0, X5 \
	PCMPEQB X2, X5 \
	PMOVMSKB X5, AX \
	MOVW AX, n(DI) \
	MOVOU X0, X5 \
	PCMPEQB X3, X5 \
	PMOVMSKB X5, AX \
	MOVW AX, q(DI) \
	MOVOU X0, X6 \
	PCMPEQB X4, X6 \
	PMOVMSKB X6, AX \
	MOVW AX, r(DI) \
	MOVOU X7, X5 \
	PCMPGTB X0, X5 \
	PMOVMSKB X5, AX \
	MOVW AX, t(DI) \
	PMOVMSKB X0, AX \
	MOVW AX, h(DI)

// func classify(p *byte, n int, out *block) int
TEXT ·classify(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ out+16(FP), DI
	XORQ BX, BX
	MOVQ $0x2c2c2c2c2c2c2c2c, AX
	MOVQ AX, X1
	PUNPCKLQDQ X1, X1
	MOVQ $0x0a0a0a0a0a0a0a0a, AX
	MOVQ AX, X2
	PUNPCKLQDQ X2, X2
	MOVQ $0x2222222222222222, AX
	MOVQ AX, X3
	PUNPCKLQDQ X3, X3
	MOVQ $0x0d0d0d0d0d0d0d0d, AX
	MOVQ AX, X4
	PUNPCKLQDQ X4, X4
	MOVQ $0x2121212121212121, AX
	MOVQ AX, X7
	PUNPCKLQDQ X7, X7

loop:
	CMPQ BX, CX
	JGE  done
	LANE(0, 0, 8, 16, 24, 32, 40)
	LANE(16, 2, 10, 18, 26, 34, 42)
	LANE(32, 4, 12, 20, 28, 36, 44)
	LANE(48, 6, 14, 22, 30, 38, 46)
	INCQ BX
	MOVQ 8(DI), AX
	ADDQ $64, SI
	ADDQ $48, DI
	TESTQ AX, AX
	JZ   loop

done:
	MOVQ BX, ret+24(FP)
	RET
