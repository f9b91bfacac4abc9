package study

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// FileStage is the local ChunkStage: one temporary file per chunk under a
// directory, appended through small per-chunk buffers (memory: at most
// fileStageBuf bytes per chunk), each record prefixed by its length
// (uvarint).
type FileStage struct {
	dir  string
	mu   sync.Mutex
	bufs map[int][]byte
}

// fileStageBuf is the per-chunk buffer size before an append to its file.
const fileStageBuf = 64 << 10

// NewFileStage creates a FileStage in a new directory under dir ("" =
// os.TempDir()); Close removes it.
func NewFileStage(dir string) (*FileStage, error) {
	d, err := os.MkdirTemp(dir, "gisement-stage-")
	if err != nil {
		return nil, fmt.Errorf("stage: %w", err)
	}
	return &FileStage{dir: d, bufs: map[int][]byte{}}, nil
}

func (s *FileStage) path(chunk int) string {
	return filepath.Join(s.dir, fmt.Sprintf("chunk-%06d.bin", chunk))
}

// Append implements ChunkStage.
func (s *FileStage) Append(_ context.Context, chunk int, rec []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := binary.AppendUvarint(s.bufs[chunk], uint64(len(rec)))
	b = append(b, rec...)
	if len(b) >= fileStageBuf {
		if err := s.write(chunk, b); err != nil {
			return err
		}
		b = b[:0]
	}
	s.bufs[chunk] = b
	return nil
}

func (s *FileStage) write(chunk int, b []byte) error {
	f, err := os.OpenFile(s.path(chunk), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("stage: %w", err)
	}
	return f.Close()
}

// Flush implements ChunkStage.
func (s *FileStage) Flush(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c, b := range s.bufs {
		if len(b) > 0 {
			if err := s.write(c, b); err != nil {
				return err
			}
		}
		delete(s.bufs, c)
	}
	return nil
}

// Read implements ChunkStage.
func (s *FileStage) Read(ctx context.Context, chunk int, fn func(rec []byte) error) error {
	f, err := os.Open(s.path(chunk))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	defer f.Close()
	if err := readRecords(ctx, f, fn); err != nil {
		return fmt.Errorf("stage: chunk %d: %w", chunk, err)
	}
	return nil
}

// readRecords calls fn with every length-prefixed (uvarint) record of r;
// the slice is reused between calls.
func readRecords(ctx context.Context, f io.Reader, fn func(rec []byte) error) error {
	r := bufio.NewReaderSize(f, 256<<10)
	var rec []byte
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		l, err := binary.ReadUvarint(r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if uint64(cap(rec)) < l {
			rec = make([]byte, l)
		}
		rec = rec[:l]
		if _, err := io.ReadFull(r, rec); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// Close removes the stage's files.
func (s *FileStage) Close() error { return os.RemoveAll(s.dir) }

var _ ChunkStage = (*FileStage)(nil)
