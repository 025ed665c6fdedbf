package binarycache

import (
	"compress/bzip2"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// Compression methods this package writes. It reads these and bzip2
// (the method a narinfo without a Compression line implies).
const (
	None = "none"
	XZ   = "xz"
	Zstd = "zstd"
)

// checkWritable returns an error unless method is one NewWriter supports.
func checkWritable(method string) error {
	switch method {
	case None, XZ, Zstd:
		return nil
	}
	return fmt.Errorf("compression method '%s' is not supported for writing (use xz, zstd or none)", method)
}

// Ext returns the NAR file suffix for a compression method, as Nix names
// them: ".nar", ".nar.xz", ".nar.zst", ".nar.bz2".
func Ext(method string) string {
	switch method {
	case XZ:
		return ".nar.xz"
	case Zstd:
		return ".nar.zst"
	case "bzip2":
		return ".nar.bz2"
	case "br":
		return ".nar.br"
	case "lzip":
		return ".nar.lzip"
	case "lz4":
		return ".nar.lz4"
	}
	return ".nar"
}

// NewReader returns a reader of the data r holds compressed with method.
// Close releases the decompressor; it does not close r.
func NewReader(method string, r io.Reader) (io.ReadCloser, error) {
	switch method {
	case None, "":
		return io.NopCloser(r), nil
	case XZ:
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("xz: %w", err)
		}
		return io.NopCloser(zr), nil
	case Zstd:
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return zr.IOReadCloser(), nil
	case "bzip2":
		return io.NopCloser(bzip2.NewReader(r)), nil
	}
	return nil, fmt.Errorf("compression method '%s' is not supported", method)
}

// NewWriter returns a writer that compresses into w with method. Close
// flushes the compressor; it does not close w.
func NewWriter(method string, w io.Writer) (io.WriteCloser, error) {
	switch method {
	case None:
		return nopWriteCloser{w}, nil
	case XZ:
		zw, err := xz.NewWriter(w)
		if err != nil {
			return nil, fmt.Errorf("xz: %w", err)
		}
		return zw, nil
	case Zstd:
		zw, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return zw, nil
	}
	return nil, checkWritable(method)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
