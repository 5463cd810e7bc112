//go:build !purego

#include "textflag.h"

// LANE classifies the 16 bytes at ld(SI) and ORs six 16-bit masks, one bit
// per byte, shifted left by sh, into the block's registers: commas into R8,
// line feeds into R9, quotes into R10, carriage returns into R11, bytes
// below 0x21 as signed (controls, spaces and every byte from 0x80) into
// R12, and bytes from 0x80 into R13. The masks are built in registers and
// stored as whole words once per block: stores of 16-bit halves read back
// as 64-bit words cannot be forwarded and stall each load.
#define LANE(ld, sh) \
	MOVOU ld(SI), X0 \
	MOVOU X0, X5 \
	PCMPEQB X1, X5 \
	PMOVMSKB X5, AX \
	SHLQ $sh, AX \
	ORQ AX, R8 \
	MOVOU X0, X5 \
	PCMPEQB X2, X5 \
	PMOVMSKB X5, AX \
	SHLQ $sh, AX \
	ORQ AX, R9 \
	MOVOU X0, X5 \
	PCMPEQB X3, X5 \
	PMOVMSKB X5, AX \
	SHLQ $sh, AX \
	ORQ AX, R10 \
	MOVOU X0, X6 \
	PCMPEQB X4, X6 \
	PMOVMSKB X6, AX \
	SHLQ $sh, AX \
	ORQ AX, R11 \
	MOVOU X7, X5 \
	PCMPGTB X0, X5 \
	PMOVMSKB X5, AX \
	SHLQ $sh, AX \
	ORQ AX, R12 \
	PMOVMSKB X0, AX \
	SHLQ $sh, AX \
	ORQ AX, R13

// func classifySSE2(p *byte, n int, out *block) int
TEXT ·classifySSE2(SB), NOSPLIT, $0-32
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
	XORQ R8, R8
	XORQ R9, R9
	XORQ R10, R10
	XORQ R11, R11
	XORQ R12, R12
	XORQ R13, R13
	LANE(0, 0)
	LANE(16, 16)
	LANE(32, 32)
	LANE(48, 48)
	MOVQ R8, 0(DI)
	MOVQ R9, 8(DI)
	MOVQ R10, 16(DI)
	MOVQ R11, 24(DI)
	MOVQ R12, 32(DI)
	MOVQ R13, 40(DI)
	INCQ BX
	ADDQ $64, SI
	ADDQ $48, DI
	TESTQ R9, R9
	JZ   loop

done:
	MOVQ BX, ret+24(FP)
	RET

// MASK compares the 64 bytes in Y0 (low half) and Y8 (high half) with the
// byte repeated in cmp and moves the 64-bit mask of equal bytes to reg.
#define MASK(cmp, reg) \
	VPCMPEQB cmp, Y0, Y5 \
	VPMOVMSKB Y5, AX \
	VPCMPEQB cmp, Y8, Y6 \
	VPMOVMSKB Y6, DX \
	SHLQ $32, DX \
	ORQ DX, AX \
	MOVQ AX, reg

// func classifyAVX2(p *byte, n int, out *block) int
//
// Every vector instruction is VEX-encoded (VMOVQ, not MOVQ, into X1–X7):
// a legacy SSE instruction among AVX ones costs a state transition, which
// made a first version 2.5 times slower than SSE2 on this machine.
TEXT ·classifyAVX2(SB), NOSPLIT, $0-32
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ out+16(FP), DI
	XORQ BX, BX
	MOVQ $0x2c, AX
	VMOVQ AX, X1
	VPBROADCASTB X1, Y1
	MOVQ $0x0a, AX
	VMOVQ AX, X2
	VPBROADCASTB X2, Y2
	MOVQ $0x22, AX
	VMOVQ AX, X3
	VPBROADCASTB X3, Y3
	MOVQ $0x0d, AX
	VMOVQ AX, X4
	VPBROADCASTB X4, Y4
	MOVQ $0x21, AX
	VMOVQ AX, X7
	VPBROADCASTB X7, Y7

avxloop:
	CMPQ BX, CX
	JGE  avxdone
	VMOVDQU 0(SI), Y0
	VMOVDQU 32(SI), Y8
	MASK(Y1, 0(DI))
	MASK(Y2, R9)
	MOVQ R9, 8(DI)
	MASK(Y3, 16(DI))
	MASK(Y4, 24(DI))
	VPCMPGTB Y0, Y7, Y5
	VPMOVMSKB Y5, AX
	VPCMPGTB Y8, Y7, Y6
	VPMOVMSKB Y6, DX
	SHLQ $32, DX
	ORQ DX, AX
	MOVQ AX, 32(DI)
	VPMOVMSKB Y0, AX
	VPMOVMSKB Y8, DX
	SHLQ $32, DX
	ORQ DX, AX
	MOVQ AX, 40(DI)
	INCQ BX
	ADDQ $64, SI
	ADDQ $48, DI
	TESTQ R9, R9
	JZ   avxloop

avxdone:
	VZEROUPPER
	MOVQ BX, ret+24(FP)
	RET
