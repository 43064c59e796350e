/* The Palermo companion: small fixes for reading the book from disk, no network.
   The theme reads the reader's colour mode from localStorage and, on a first visit, finds an
   empty value and logs an error; start from "auto" (follow the system) instead. */
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "auto";
}
