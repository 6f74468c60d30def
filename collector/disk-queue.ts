// `--queue-dir`: every request for the upstream is also written to a file until the upstream has taken it, so a
// restart (or a drain deadline that passes) loses nothing that was queued; the next start sends what it finds.
// One file per request, `<time>-<pid>-<sequence>-<spans>.otlp`, written under a temporary name and renamed, so a
// file is whole or absent. Not fsynced: it survives the process, not the machine. One instance per directory.
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PersistedRequest {
  file: string;
  spans: number;
}

const SUFFIX = '.otlp';

export class DiskQueue {
  readonly dir: string;
  private sequence = 0;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates the directory; returns the requests a previous run left, oldest first. */
  async open(): Promise<PersistedRequest[]> {
    await mkdir(this.dir, { recursive: true });
    const found: PersistedRequest[] = [];
    for (const name of (await readdir(this.dir)).sort()) {
      const match = /^\d+-\d+-\d+-(\d+)\.otlp$/.exec(name);
      if (match) found.push({ file: name, spans: Number(match[1]) });
    }
    return found;
  }

  /** Writes a request; resolves to its file name. */
  async write(body: Uint8Array, spans: number): Promise<string> {
    this.sequence += 1;
    const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${String(this.sequence).padStart(9, '0')}-${spans}${SUFFIX}`;
    const temporary = join(this.dir, `.${name}.tmp`);
    await writeFile(temporary, body);
    await rename(temporary, join(this.dir, name));
    return name;
  }

  read(file: string): Promise<Buffer> {
    return readFile(join(this.dir, file));
  }

  async remove(file: string): Promise<void> {
    await unlink(join(this.dir, file)).catch(() => undefined);
  }
}
