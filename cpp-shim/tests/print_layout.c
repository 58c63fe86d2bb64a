/* Prints "name value" for every struct field offset and struct size in mtpjava_frame.h. */
#include <stddef.h>
#include <stdio.h>

#include "mtpjava_layout.h"

#define PRINT_FIELD(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(s, f));
#define PRINT_STRUCT(s) printf("%s %zu\n", #s, sizeof(s));

int main(void)
{
  printf("abi_version %d\n", MTPJ_ABI_VERSION);
  MTPJ_LAYOUT_FIELDS(PRINT_FIELD)
  MTPJ_LAYOUT_STRUCTS(PRINT_STRUCT)
  return 0;
}
