/* hex2bin IN.hex OUT: a fixture as raw bytes, to seed the fuzzers. */
#include <stdio.h>

#include "hexfile.h"

int main(int argc, char **argv)
{
	static uint8_t buf[65536];
	long n;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: hex2bin IN.hex OUT\n");
		return 2;
	}
	n = hexfile_load(argv[1], buf, sizeof(buf));
	if (n < 0) {
		fprintf(stderr, "hex2bin: %s: not a hex fixture\n", argv[1]);
		return 1;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, (size_t)n, f) != (size_t)n || fclose(f) != 0) {
		fprintf(stderr, "hex2bin: cannot write %s\n", argv[2]);
		return 1;
	}
	return 0;
}
