/*
 * Stream helpers both transports compose with, in one place. Private: each transport's build bundles
 * what it uses (tsup inlines a package it does not list as a dependency), so nothing here is published
 * or becomes an app's dependency. Core imports no RxJS, so these cannot live there.
 */
export { merged } from './merged.js'
