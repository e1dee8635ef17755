#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The mailshield authors. All Rights Reserved.
#
# Guest side of tests/vm/shell.sh: run $MSH_CMD with bash, output in
# /msh/out/shell.log.

cd "$MSH_REPO"
bash -c "$MSH_CMD" >>"$MSH_OUT/shell.log" 2>&1
