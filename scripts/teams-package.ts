// Builds build/teams-app.zip (manifest.json, color.png, outline.png at the root) for upload to Teams.
// A standalone script, so it reads process.env itself; the app reads configuration only in src/config.ts.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';

const root = resolve(__dirname, '..');
const sourceDir = join(root, 'manifests', 'teams');
const outFile = join(root, 'build', 'teams-app.zip');
const placeholder = '${MICROSOFT_APP_ID}';

const appId = process.env.MICROSOFT_APP_ID?.trim();
if (!appId) {
  console.error("teams:package needs MICROSOFT_APP_ID: the bot's Microsoft App ID (a GUID) to put in the manifest.");
  process.exit(1);
}
if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(appId)) {
  console.error(`teams:package: MICROSOFT_APP_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got "${appId}".`);
  process.exit(1);
}

const manifest = readFileSync(join(sourceDir, 'manifest.json'), 'utf8').split(placeholder).join(appId);
JSON.parse(manifest); // fail here, not in Teams, if the substitution broke the JSON

const files: Array<[name: string, data: Buffer]> = [
  ['manifest.json', Buffer.from(manifest, 'utf8')],
  ['color.png', readFileSync(join(sourceDir, 'color.png'))],
  ['outline.png', readFileSync(join(sourceDir, 'outline.png'))],
];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Fixed timestamp (1980-01-01 00:00, the DOS epoch) so the same inputs give the same zip.
const dosTime = 0;
const dosDate = (1 << 5) | 1;

function zip(entries: Array<[string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    // Fields shared by the local header (from byte 4) and the central header (from byte 6).
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed: 2.0 (deflate)
    common.writeUInt16LE(0, 2); // flags
    common.writeUInt16LE(8, 4); // method: deflate
    common.writeUInt16LE(dosTime, 6);
    common.writeUInt16LE(dosDate, 8);
    common.writeUInt32LE(crc, 10);
    common.writeUInt32LE(packed.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(nameBytes.length, 22);
    common.writeUInt16LE(0, 24); // extra field length

    const local = Buffer.concat([u32(0x04034b50), common, nameBytes, packed]);
    const centralTail = Buffer.alloc(14); // comment length, disk, internal and external attributes: 0
    centralTail.writeUInt32LE(offset, 10);
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), common, centralTail, nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n, 0);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

mkdirSync(join(root, 'build'), { recursive: true });
writeFileSync(outFile, zip(files));
console.log(`teams:package: wrote ${outFile} (${files.map(([name]) => name).join(', ')})`);
