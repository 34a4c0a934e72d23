/**
 * A deep copy of plain state, for the node's checkpoints (Engine.checkpoint): pure and
 * deterministic, like the rest of the engine.
 *
 * It copies what the engine's state is made of — objects and class instances (their prototype
 * kept, so methods still work), arrays (holes kept), Maps and Sets (insertion order kept),
 * ArrayBuffers and their typed-array views — and keeps every sharing of the original: a value
 * reached twice is copied once (a memo table), so cycles close and aliases stay aliases. Views
 * over one ArrayBuffer stay views over one copied buffer, at the same offset and length: the
 * virtual disk hands out `subarray` views of its chunks.
 *
 * It refuses what it cannot copy faithfully, rather than copy it wrong: a function it was not
 * told how to replace (a closure holds state no copy can see), an accessor property, a Map, Set
 * or array of a subclass, and any other built-in with hidden internal state (iterators,
 * generators, promises, dates, errors, weak collections, shared or resizable buffers). JS private
 * `#fields` are invisible to any generic copy: src/engine and src/codec have none, and a test
 * keeps it so.
 *
 * `substitutes` maps values to what their copy must be instead (a table of event listeners to an
 * empty one, a closure bound to the original to one bound to the copy); they are not looked into.
 */

export type CopyResult<T> = { readonly ok: true; readonly copy: T } | { readonly ok: false; readonly reason: string };

/** Thrown inside the copy to abandon it; never escapes `copyState`. */
class Refused {
  constructor(readonly reason: string) {}
}

const TYPED_ARRAY_PROTOTYPE: object = Object.getPrototypeOf(Uint8Array.prototype) as object;

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array | Uint8ClampedArray;
type TypedArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray;

export function copyState<T>(root: T, substitutes: ReadonlyMap<unknown, unknown> = new Map()): CopyResult<T> {
  const memo = new Map<unknown, unknown>(substitutes);
  /** Originals whose shell is made (and memoised) but whose contents are still to copy. */
  const unfilled: object[] = [];

  const copyOf = (value: unknown): unknown => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    const known = memo.get(value);
    if (known !== undefined || memo.has(value)) return known;
    if (typeof value === 'function') throw new Refused(`a function (${value.name || 'anonymous'})`);
    const shell = shellOf(value);
    memo.set(value, shell);
    return shell;
  };

  /** An empty copy of the same kind, or the whole copy for what holds no references. */
  const shellOf = (value: object): unknown => {
    if (Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Array.prototype) throw new Refused('an array of a subclass');
      unfilled.push(value);
      // Primitives and holes come over at once; the fill replaces objects with their copies.
      return value.slice();
    }
    if (value instanceof Map || value instanceof Set) {
      if (Object.getPrototypeOf(value) !== (value instanceof Map ? Map.prototype : Set.prototype) || Reflect.ownKeys(value).length !== 0) {
        throw new Refused('a Map or Set of a subclass');
      }
      unfilled.push(value);
      return value instanceof Map ? new Map() : new Set();
    }
    if (value instanceof ArrayBuffer) {
      if (Object.getPrototypeOf(value) !== ArrayBuffer.prototype || isResizable(value)) throw new Refused('a resizable ArrayBuffer');
      return value.slice(0);
    }
    if (ArrayBuffer.isView(value)) return viewCopy(value);
    const tag = Object.prototype.toString.call(value);
    if (tag !== '[object Object]') throw new Refused(`a built-in object with hidden state (${tag})`);
    unfilled.push(value);
    return Object.create(Object.getPrototypeOf(value) as object | null) as object;
  };

  /** A typed array or DataView over the copy of its buffer, at the same offset and length. */
  const viewCopy = (view: ArrayBufferView): ArrayBufferView => {
    if (!(view.buffer instanceof ArrayBuffer)) throw new Refused('a view of a SharedArrayBuffer');
    const buffer = copyOf(view.buffer) as ArrayBuffer;
    if (view instanceof DataView) {
      if (Object.getPrototypeOf(view) !== DataView.prototype) throw new Refused('a DataView of a subclass');
      return new DataView(buffer, view.byteOffset, view.byteLength);
    }
    const prototype = Object.getPrototypeOf(view) as { constructor: TypedArrayConstructor };
    if (Object.getPrototypeOf(prototype) !== TYPED_ARRAY_PROTOTYPE) throw new Refused('a typed array of a subclass');
    const typed = view as TypedArray;
    return new prototype.constructor(buffer, typed.byteOffset, typed.length);
  };

  const fill = (original: object, copy: object): void => {
    if (Array.isArray(original)) {
      const target = copy as unknown[];
      for (let i = 0; i < original.length; i++) {
        const item: unknown = original[i];
        if ((typeof item === 'object' && item !== null) || typeof item === 'function') target[i] = copyOf(item);
      }
      keepIntegrity(original, copy);
      return;
    }
    if (original instanceof Map) {
      const target = copy as Map<unknown, unknown>;
      for (const [key, item] of original) target.set(copyOf(key), copyOf(item));
      return;
    }
    if (original instanceof Set) {
      const target = copy as Set<unknown>;
      for (const item of original) target.add(copyOf(item));
      return;
    }
    for (const key of Reflect.ownKeys(original)) {
      const descriptor = Object.getOwnPropertyDescriptor(original, key) as PropertyDescriptor;
      if (!('value' in descriptor)) throw new Refused(`an accessor property (${String(key)})`);
      const item = copyOf(descriptor.value);
      if (descriptor.writable === true && descriptor.enumerable === true && descriptor.configurable === true && key !== '__proto__') {
        (copy as Record<PropertyKey, unknown>)[key] = item;
      } else {
        Object.defineProperty(copy, key, { ...descriptor, value: item });
      }
    }
    keepIntegrity(original, copy);
  };

  try {
    const copy = copyOf(root) as T;
    // An explicit work list rather than recursion: a long chain of objects cannot overflow the stack.
    for (let next = unfilled.pop(); next !== undefined; next = unfilled.pop()) fill(next, memo.get(next) as object);
    return { ok: true, copy };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    throw error;
  }
}

/** A frozen, sealed or non-extensible original gives a copy that is the same. */
function keepIntegrity(original: object, copy: object): void {
  if (Object.isExtensible(original)) return;
  if (Object.isFrozen(original)) Object.freeze(copy);
  else if (Object.isSealed(original)) Object.seal(copy);
  else Object.preventExtensions(copy);
}

/** `resizable` exists only where the runtime has resizable buffers; a plain buffer lacks or denies it. */
function isResizable(buffer: ArrayBuffer): boolean {
  return (buffer as ArrayBuffer & { resizable?: boolean }).resizable === true;
}
