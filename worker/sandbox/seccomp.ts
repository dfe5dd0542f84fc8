// The seccomp filter bwrap loads before it starts a run's program (`--seccomp FD`): a classic BPF program,
// built here so no libseccomp is needed. It refuses, with EPERM, the system calls a job has no use for and
// an attacker does: new namespaces, mounts, the kernel keyring, bpf, io_uring, perf, ptrace and reading
// other processes' memory, modules, kexec, userfaultfd. clone3 gets ENOSYS (its flags sit behind a pointer
// a filter cannot read), so libc falls back to clone, whose flags it can.

const SYSCALLS = {
  x64: {
    arch: 0xc000003e, // AUDIT_ARCH_X86_64
    clone: 56,
    unshare: 272,
    refused: {
      setns: 308,
      mount: 165,
      umount2: 166,
      pivot_root: 155,
      keyctl: 250,
      add_key: 248,
      request_key: 249,
      bpf: 321,
      perf_event_open: 298,
      ptrace: 101,
      process_vm_readv: 310,
      process_vm_writev: 311,
      kexec_load: 246,
      kexec_file_load: 320,
      init_module: 175,
      finit_module: 313,
      delete_module: 176,
      userfaultfd: 323,
      open_by_handle_at: 304,
      name_to_handle_at: 303,
      swapon: 167,
      swapoff: 168,
      reboot: 169,
      acct: 163,
      syslog: 103,
      fanotify_init: 300,
      quotactl: 179,
      lookup_dcookie: 212,
      iopl: 172,
      ioperm: 173,
    },
  },
  arm64: {
    arch: 0xc00000b7, // AUDIT_ARCH_AARCH64
    clone: 220,
    unshare: 97,
    refused: {
      setns: 268,
      mount: 40,
      umount2: 39,
      pivot_root: 41,
      keyctl: 219,
      add_key: 217,
      request_key: 218,
      bpf: 280,
      perf_event_open: 241,
      ptrace: 117,
      process_vm_readv: 270,
      process_vm_writev: 271,
      kexec_load: 104,
      kexec_file_load: 294,
      init_module: 105,
      finit_module: 273,
      delete_module: 106,
      userfaultfd: 282,
      open_by_handle_at: 265,
      name_to_handle_at: 264,
      swapon: 224,
      swapoff: 225,
      reboot: 142,
      acct: 89,
      syslog: 116,
      fanotify_init: 262,
      quotactl: 60,
      lookup_dcookie: 18,
    },
  },
} as const;

/** Numbered alike on both architectures (the newer calls). */
const COMMON_REFUSED = {
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  mount_setattr: 442,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  pidfd_getfd: 438,
};
const CLONE3 = 435;
/** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME. */
const NAMESPACE_FLAGS =
  0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80;
const X32_SYSCALL_BIT = 0x40000000;

// BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;
// offsets in struct seccomp_data
const NR = 0;
const ARCH = 4;
const ARG0_LOW = 16; // little-endian on both architectures

export type SeccompArch = keyof typeof SYSCALLS;
export const seccompArch = (arch: string = process.arch): SeccompArch | null =>
  arch === 'x64' || arch === 'arm64' ? arch : null;

type Insn = { code: number; jt?: string | number; jf?: string | number; k: number; label?: string };

/** The filter as bwrap reads it: struct sock_filter[] (8 bytes each, little-endian). */
export function seccompFilter(arch: SeccompArch): Buffer {
  const table = SYSCALLS[arch];
  const refused = [...Object.values(table.refused), ...Object.values(COMMON_REFUSED)];
  const program: Insn[] = [
    { code: LD_W_ABS, k: ARCH },
    { code: JEQ_K, k: table.arch, jt: 0, jf: 'deny' }, // another ABI (i386 on x86_64): nothing
    { code: LD_W_ABS, k: NR },
    ...(arch === 'x64' ? [{ code: JGE_K, k: X32_SYSCALL_BIT, jt: 'deny', jf: 0 }] : []),
    ...refused.map((nr) => ({ code: JEQ_K, k: nr, jt: 'deny', jf: 0 })),
    { code: JEQ_K, k: CLONE3, jt: 'nosys', jf: 0 },
    { code: JEQ_K, k: table.clone, jt: 'flags', jf: 0 },
    { code: JEQ_K, k: table.unshare, jt: 'flags', jf: 0 },
    { code: RET_K, k: RET_ALLOW },
    { code: LD_W_ABS, k: ARG0_LOW, label: 'flags' },
    { code: JSET_K, k: NAMESPACE_FLAGS, jt: 'deny', jf: 0 },
    { code: RET_K, k: RET_ALLOW },
    { code: RET_K, k: RET_ERRNO | ENOSYS, label: 'nosys' },
    { code: RET_K, k: RET_ERRNO | EPERM, label: 'deny' },
  ];
  const at = new Map(program.flatMap((insn, i) => (insn.label ? [[insn.label, i]] : [])));
  const jump = (target: string | number | undefined, from: number) => {
    if (typeof target !== 'string') return target ?? 0;
    const offset = at.get(target)! - from - 1;
    if (offset < 0 || offset > 255) throw new Error(`seccomp: jump to ${target} out of range`);
    return offset;
  };
  const out = Buffer.alloc(program.length * 8);
  program.forEach((insn, i) => {
    out.writeUInt16LE(insn.code, i * 8);
    out.writeUInt8(jump(insn.jt, i), i * 8 + 2);
    out.writeUInt8(jump(insn.jf, i), i * 8 + 3);
    out.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return out;
}
