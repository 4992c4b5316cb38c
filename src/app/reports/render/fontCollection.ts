/**
 * TrueType collections (.ttc: several faces sharing one file, e.g. WenQuanYi Micro Hei, Microsoft YaHei) for the PDF
 * renderer: jsPDF reads a single TrueType font only, so the first face is copied out into a standalone .ttf (its
 * table directory with the tables' offsets made relative to the new file). Fonts with PostScript (CFF) outlines — most
 * Noto CJK and Source Han collections — cannot be drawn by jsPDF and are refused.
 */

export class FontFileError extends Error {}

const tag = (buf: Buffer, at: number) => buf.toString('latin1', at, at + 4);

/** The font as jsPDF can embed it: a .ttf as is, the first face of a .ttc; FontFileError for anything else. */
export function trueTypeFace(buf: Buffer, name: string): Buffer {
  const face = tag(buf, 0) === 'ttcf' ? firstFace(buf, name) : buf;
  const sfnt = face.readUInt32BE(0);
  if (sfnt !== 0x00010000 && tag(face, 0) !== 'true') throw new FontFileError(`the PDF font ${name} has no TrueType outlines (a CFF/OpenType font cannot be embedded)`);
  const numTables = face.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) if (tag(face, 12 + 16 * i) === 'glyf') return face;
  throw new FontFileError(`the PDF font ${name} has no TrueType outlines (a CFF/OpenType font cannot be embedded)`);
}

function firstFace(buf: Buffer, name: string): Buffer {
  if (buf.length < 16 || buf.readUInt32BE(8) < 1) throw new FontFileError(`the PDF font ${name} is an empty font collection`);
  const start = buf.readUInt32BE(12);
  const numTables = buf.readUInt16BE(start + 4);
  const tables: { record: number; offset: number; length: number; at: number }[] = [];
  let size = 12 + 16 * numTables;
  for (let i = 0; i < numTables; i++) {
    const record = start + 12 + 16 * i;
    const t = { record, offset: buf.readUInt32BE(record + 8), length: buf.readUInt32BE(record + 12), at: size };
    if (t.offset + t.length > buf.length) throw new FontFileError(`the PDF font ${name} is truncated`);
    size += (t.length + 3) & ~3; // tables start on 4-byte boundaries
    tables.push(t);
  }
  const out = Buffer.alloc(size);
  buf.copy(out, 0, start, start + 12);
  tables.forEach((t, i) => {
    const record = 12 + 16 * i;
    buf.copy(out, record, t.record, t.record + 8); // tag and checksum (the table bytes are unchanged)
    out.writeUInt32BE(t.at, record + 8);
    out.writeUInt32BE(t.length, record + 12);
    buf.copy(out, t.at, t.offset, t.offset + t.length);
  });
  return out;
}
