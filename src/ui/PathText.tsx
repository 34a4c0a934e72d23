import { Fragment } from 'react';

/**
 * A file name or a setting as one unit of text that may wrap only after a `/`:
 * `appendonlydir/` then `appendonly.aof.1.incr.aof` on the next line, never `appendonly.ao` /
 * `f.1.incr.aof`, and never `aof-use-rdb-` / `preamble` at a hyphen. Each part between slashes
 * keeps whole (`.path-part`); a part too long for a phone's line may still break anywhere, as a
 * last resort, rather than widen the page. The text itself is unchanged (copying gives the name).
 */
export function PathText({ text }: { text: string }) {
  const parts = text.split('/');
  return (
    <>
      {parts.map((part, index) => {
        const shown = index < parts.length - 1 ? `${part}/` : part;
        return (
          <Fragment key={index}>
            {shown === '' ? null : shown.length <= LONGEST_WHOLE_PART ? <span className="path-part">{shown}</span> : shown}
            {index < parts.length - 1 && <wbr />}
          </Fragment>
        );
      })}
    </>
  );
}

/** About 260 px of the code face: what a 320 px phone keeps on one line inside a panel. */
const LONGEST_WHOLE_PART = 32;
