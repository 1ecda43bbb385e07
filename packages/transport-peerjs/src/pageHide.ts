import { EMPTY, type Observable } from 'rxjs'
import { fromEmitter } from './fromEmitter.js'

/** The page is going away (a tab closing); nothing in Node. */
export function pageHide(): Observable<unknown> {
  return typeof globalThis.addEventListener === 'function' ? fromEmitter(globalThis, 'pagehide') : EMPTY
}
