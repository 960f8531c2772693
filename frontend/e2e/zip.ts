/**
 * Read a ZIP for the browser tests: the central directory (zip64 too), each entry's name, sizes
 * and stored bytes, with the CRC checked. Enough to open the media library's archives (stored,
 * not deflated); no dependency.
 */
import { crc32 } from "node:zlib";

export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: number;
  size: number;
  compressedSize: number;
  crc: number;
  /** The bytes of a stored entry (null for a compressed one). */
  data: Buffer | null;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEnd(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65_535); at--) {
    if (zip.readUInt32LE(at) === EOCD) return at;
  }
  throw new Error("not a ZIP: no end of central directory");
}

export function readZip(zip: Buffer): ZipEntry[] {
  const end = findEnd(zip);
  let count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (end >= 20 && zip.readUInt32LE(end - 20) === ZIP64_LOCATOR) {
    const at = Number(zip.readBigUInt64LE(end - 20 + 8));
    if (zip.readUInt32LE(at) !== ZIP64_EOCD) throw new Error("broken zip64 end of central directory");
    count = Number(zip.readBigUInt64LE(at + 32));
    offset = Number(zip.readBigUInt64LE(at + 48));
  }
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`broken central directory at entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    let compressedSize = zip.readUInt32LE(at + 20);
    let size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    // The zip64 extra field holds, in this order, whichever of the three were 0xffffffff.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = zip.readUInt16LE(extra);
      const length = zip.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (size === 0xffffffff) {
          size = Number(zip.readBigUInt64LE(field));
          field += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(zip.readBigUInt64LE(field));
          field += 8;
        }
        if (local === 0xffffffff) local = Number(zip.readBigUInt64LE(field));
      }
      extra += 4 + length;
    }
    if (zip.readUInt32LE(local) !== LOCAL) throw new Error(`no local header for ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = method === 0 ? zip.subarray(start, start + compressedSize) : null;
    if (data && (crc32(data) >>> 0) !== crc) throw new Error(`CRC mismatch in ${name}`);
    entries.push({ name, method, size, compressedSize, crc, data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
