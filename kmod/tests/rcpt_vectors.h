/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The mailshield authors. All Rights Reserved.
 *
 * The shared recipient vectors (tests/vectors/recipients.tsv) as a C
 * table for the KUnit suite. Made by scripts/rcpt_vectors.py
 * --c-header; do not edit.
 */

#ifndef _MSH_RCPT_VECTORS_H
#define _MSH_RCPT_VECTORS_H

#include <linux/types.h>

/* SipHash-2-4 key of every vector: 00 01 02 ... 0f */
static const u8 msh_rcpt_vector_key[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

struct msh_rcpt_vector {
	const char *input;	/* the path as sent, without <> */
	bool case_sensitive;
	const char *delims;
	bool hashed;		/* false: not hashed */
	u64 addr;		/* SipHash-2-4 of the normalised address */
	u64 dom;		/* ... of the normalised domain */
};

static const struct msh_rcpt_vector msh_rcpt_vectors[] = {
	{
		.input = "user@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "User@Example.COM",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "User@Example.COM",
		.case_sensitive = true,
		.delims = "+",
		.hashed = true,
		.addr = 0xf19765d020a24c9dULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "user+tag@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "user+tag+more@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "user-tag@example.com",
		.case_sensitive = false,
		.delims = "+-",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "user-tag@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xddefdc961527b06eULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "user+tag@example.com",
		.case_sensitive = false,
		.delims = "",
		.hashed = true,
		.addr = 0x2766278069762934ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "+user@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x7b4fa94aafe9e964ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "\"user\"@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "\"User Name\"@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x9d65e87055a3d54aULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "\"user\\\"q\"@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xf61ebb8ab6c3cc9aULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "\"us\\er+x\"@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "\"a@b\"@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x57ff41d4b47ae0e0ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "@relay.example,@hop.example:user@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "user@example.com.",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb2679d60ea848429ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "user@XN--BCHER-KVA.example",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x2ee346cb3f31d53cULL,
		.dom = 0xabdac6f6c5a247b3ULL,
	},
	{
		.input = "Ab.Cd@xn--bcher-kva.EXAMPLE",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xd1eb217b5edcdd61ULL,
		.dom = 0xabdac6f6c5a247b3ULL,
	},
	{
		.input = "user@[192.0.2.1]",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xd7935b428cc383dbULL,
		.dom = 0x424f4ee1ff1775cdULL,
	},
	{
		.input = "postmaster@example.org",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x75f5fd3c9bb5f62dULL,
		.dom = 0xd392d85b6404d13cULL,
	},
	{
		.input = "a@b.c",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x52cb9ce18302090cULL,
		.dom = 0x7ce505be27cca647ULL,
	},
	{
		.input = "abcdefg@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xb994bad0f292a8e1ULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "abcdefgh@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0xcc88ccc39f3673ecULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input =
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x489092a74f05e4dfULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input =
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.com",
		.case_sensitive = false,
		.delims = "+",
	},
	{
		.input =
			"user@ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x3a05d6e129f78beeULL,
		.dom = 0x2da5dc5578309b01ULL,
	},
	{
		.input =
			"user@dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd.com",
		.case_sensitive = false,
		.delims = "+",
	},
	{
		.input = "\303\234SER@example.com",
		.case_sensitive = false,
		.delims = "+",
		.hashed = true,
		.addr = 0x179208df86d7ceefULL,
		.dom = 0x1a95fc6900ffcedeULL,
	},
	{
		.input = "nodomain",
		.case_sensitive = false,
		.delims = "+",
	},
	{
		.input = "user@",
		.case_sensitive = false,
		.delims = "+",
	},
};

#endif /* _MSH_RCPT_VECTORS_H */
