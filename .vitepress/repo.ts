/**
 * Where the book's source lives. Every "Edit this chapter" link and every `→ src/…` link is built
 * from these two constants; change them here when the repository moves.
 */
export const REPO_URL = 'https://github.com/resnet-from-scratch/resnet-from-scratch'
export const BRANCH = 'main'
