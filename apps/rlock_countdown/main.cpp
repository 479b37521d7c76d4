// Placeholder: filled in by the primitives work (issue 4).
int main() {
  return 0;
}
