package store

// The fault points of the store's write paths, in the order an add passes
// them. Tests kill a child process at each (internal/faultpoint) and check
// that the store is left with the path either wholly valid or absent.
const (
	fpWritten      = "store.add.written"        // contents complete under .tmp-*
	fpCanonical    = "store.add.canonical"      // modes and mtimes canonicalised
	fpSynced       = "store.add.synced"         // contents synced to disk
	fpRenamed      = "store.add.renamed"        // renamed to the final name
	fpDirSynced    = "store.add.dirsynced"      // store directory synced
	fpCommitted    = "store.add.committed"      // database transaction committed
	fpTempRooted   = "store.add.temprooted"     // temp root recorded
	fpRegSynced    = "store.register.synced"    // Register synced the contents
	fpRegCommitted = "store.register.committed" // Register committed
	fpInvalidated  = "store.gc.invalidated"     // GC removed dead paths from the database
	fpGCDeleted    = "store.gc.deleted"         // GC deleted one path from disk
)
