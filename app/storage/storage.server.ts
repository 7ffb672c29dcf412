// Attachment storage. The interface is the shape of an S3-compatible object
// store (put / get as a stream / head / delete by key), so a deployment can
// swap the default local-disk store for S3, MinIO or Ceph without touching the
// callers. Keys are opaque ("2026/11/<uuid>"); file names and types live in
// the Attachment row, never in the key.
import { createReadStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";

export type StoredObject = { key: string; sizeBytes: number };

export interface FileStore {
  put(key: string, body: Uint8Array): Promise<StoredObject>;
  /** The object's bytes as a stream; null when there is no such key. */
  get(key: string): Promise<Readable | null>;
  head(key: string): Promise<{ sizeBytes: number } | null>;
  delete(key: string): Promise<void>;
}

const KEY = /^[0-9]{4}\/[0-9]{2}\/[0-9a-f-]{36}$/;

/** A new, unguessable key, grouped by year and month so that no directory grows without bound. */
export function newStorageKey(now = new Date()): string {
  return `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, "0")}/${randomUUID()}`;
}

/** Files on the local disk under one directory. */
export class LocalDiskStore implements FileStore {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    // Only keys this module makes: nothing can climb out of the root.
    if (!KEY.test(key)) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
    return path.join(this.root, key);
  }

  async put(key: string, body: Uint8Array): Promise<StoredObject> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a crash never leaves half a file under the key.
    const partial = `${file}.${process.pid}.part`;
    await writeFile(partial, body, { flag: "wx" });
    await rename(partial, file);
    return { key, sizeBytes: body.byteLength };
  }

  async get(key: string): Promise<Readable | null> {
    const file = this.pathOf(key);
    if (!(await this.head(key))) return null;
    return createReadStream(file);
  }

  async head(key: string): Promise<{ sizeBytes: number } | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { sizeBytes: s.size } : null;
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

let store: FileStore | undefined;

/** The process's store: the local disk under STORAGE_DIR (default `.data/files`). */
export function fileStore(): FileStore {
  store ??= new LocalDiskStore(path.resolve(process.env.STORAGE_DIR ?? ".data/files"));
  return store;
}
