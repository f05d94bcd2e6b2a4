import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './harness.js';

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));

interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * A real IMAP server for tests: Debian's Dovecot as its own process, with its own configuration in a
 * temp dir (plaintext login on loopback, one passwd-file user, Maildir, a free port). No system
 * service is involved. `stop()` and `start()` again on the same port and mail store simulate a
 * mail server that goes away and comes back.
 */
export class TestImap {
  readonly user: string;
  readonly password = randomBytes(12).toString('hex');
  private child: ChildProcess | undefined;
  private readonly dir: string;
  private readonly mailUser: SystemUser;
  private readonly onExit = () => this.signal('SIGKILL');

  private constructor(
    readonly port: number,
    user: string,
  ) {
    if (!DOVECOT) throw new Error('Dovecot is not installed (apt-get install dovecot-imapd)');
    this.user = user;
    this.dir = mkdtempSync(join(tmpdir(), 'direturn-imap-'));
    chmodSync(this.dir, 0o755);
    // As root, Dovecot refuses root for mail and login processes: the package's own users serve.
    const root = process.getuid?.() === 0;
    const me = userInfo();
    this.mailUser = root ? systemUser('dovecot') : { name: me.username, uid: me.uid, gid: me.gid };
    const loginUser = root ? systemUser('dovenull').name : me.username;
    for (const d of ['run', 'state', 'home']) mkdirSync(join(this.dir, d));
    if (root) chownSync(join(this.dir, 'home'), this.mailUser.uid, this.mailUser.gid);
    writeFileSync(join(this.dir, 'passwd'), `${user}:{PLAIN}${this.password}\n`, { mode: 0o644 });
    writeFileSync(
      join(this.dir, 'dovecot.conf'),
      [
        `base_dir = ${this.dir}/run`,
        `state_dir = ${this.dir}/state`,
        `log_path = ${this.dir}/dovecot.log`,
        `instance_name = direturn-test-${randomBytes(4).toString('hex')}`,
        'protocols = imap',
        'listen = 127.0.0.1',
        'ssl = no',
        // Tests only: plaintext login on loopback.
        'disable_plaintext_auth = no',
        'auth_mechanisms = plain login',
        `first_valid_uid = ${this.mailUser.uid}`,
        `default_internal_user = ${root ? 'dovecot' : me.username}`,
        `default_login_user = ${loginUser}`,
        ...(root ? [] : [`default_internal_group = ${groupName(me.gid)}`]),
        `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${this.dir}/passwd\n}`,
        `userdb {\n  driver = static\n  args = uid=${this.mailUser.uid} gid=${this.mailUser.gid} home=${this.dir}/home/%u\n}`,
        'mail_location = maildir:~/Maildir',
        // IDLE notices new mail at once (inotify) and checks at least every second.
        'mailbox_idle_check_interval = 1 secs',
        `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
        '',
      ].join('\n'),
    );
  }

  static async start(user = 'beratung@example.org'): Promise<TestImap> {
    const imap = new TestImap(await freePort(), user);
    await imap.start();
    return imap;
  }

  get host(): string {
    return '127.0.0.1';
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.child) killGroup(this.child, sig);
  }

  async start(): Promise<void> {
    if (this.child) return;
    // Its own process group: stop() ends the master and its login and mail processes at once.
    const child = spawn(DOVECOT!, ['-F', '-c', join(this.dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
    this.child = child;
    process.once('exit', this.onExit);
    const end = Date.now() + 10_000;
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null || Date.now() > end) {
        this.child = undefined;
        killGroup(child, 'SIGKILL');
        throw new Error(`dovecot did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server (its clients are disconnected); the mail stays for `start()`. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    process.off('exit', this.onExit);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // The whole group, as a crashed or powered-off server: clients see their connections drop.
    killGroup(child, 'SIGKILL');
    await exited;
    const end = Date.now() + 5000;
    while ((await accepts(this.port)) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** An IMAP client for the test itself (to append or inspect mail). */
  private async client<T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> {
    const c = new ImapFlow({ host: this.host, port: this.port, secure: false, auth: { user: this.user, pass: this.password }, logger: false });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => undefined);
    }
  }

  /** Delivers a mail into the INBOX through IMAP APPEND (the server must be running). */
  async deliver(raw: string | Buffer): Promise<void> {
    await this.client((c) => c.append('INBOX', raw));
  }

  /**
   * Delivers a mail while the server is down, as a local delivery agent would: written into the
   * Maildir's `new/` (tmp → rename, Maildir's own rule). The server finds it when it starts again.
   */
  deliverToMaildir(raw: string | Buffer): void {
    const maildir = join(this.dir, 'home', this.user, 'Maildir');
    for (const d of ['tmp', 'new', 'cur']) {
      mkdirSync(join(maildir, d), { recursive: true });
      if (process.getuid?.() === 0) chownSync(join(maildir, d), this.mailUser.uid, this.mailUser.gid);
    }
    if (process.getuid?.() === 0) chownSync(maildir, this.mailUser.uid, this.mailUser.gid);
    const name = `${Date.now()}.${randomBytes(6).toString('hex')}.test`;
    writeFileSync(join(maildir, 'tmp', name), raw);
    if (process.getuid?.() === 0) chownSync(join(maildir, 'tmp', name), this.mailUser.uid, this.mailUser.gid);
    renameSync(join(maildir, 'tmp', name), join(maildir, 'new', name));
  }

  /** The INBOX as the server has it: uid, Message-ID and flags of each mail. */
  async list(): Promise<Array<{ uid: number; messageId: string | undefined; flags: string[] }>> {
    return this.client(async (c) => {
      const lock = await c.getMailboxLock('INBOX');
      try {
        const out: Array<{ uid: number; messageId: string | undefined; flags: string[] }> = [];
        if (!c.mailbox || c.mailbox.exists === 0) return out;
        for await (const m of c.fetch('1:*', { uid: true, envelope: true, flags: true })) {
          out.push({ uid: m.uid, messageId: m.envelope?.messageId, flags: [...(m.flags ?? [])] });
        }
        return out;
      } finally {
        lock.release();
      }
    });
  }

  /** Marks every mail \Seen (as another mail client reading the mailbox would). */
  async markAllSeen(): Promise<void> {
    await this.client(async (c) => {
      const lock = await c.getMailboxLock('INBOX');
      try {
        if (c.mailbox && c.mailbox.exists > 0) await c.messageFlagsAdd('1:*', ['\\Seen']);
      } finally {
        lock.release();
      }
    });
  }
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, sig);
  } catch {
    child.kill(sig);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function systemUser(name: string): SystemUser {
  const line = readColonFile('/etc/passwd').find((f) => f[0] === name);
  if (!line) throw new Error(`no system user ${name}: is dovecot-core installed?`);
  return { name, uid: Number(line[2]), gid: Number(line[3]) };
}

function groupName(gid: number): string {
  return readColonFile('/etc/group').find((f) => Number(f[2]) === gid)?.[0] ?? String(gid);
}

function readColonFile(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.split(':'));
}
