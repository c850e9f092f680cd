/// The warm Python server `WarmPythonSandbox` starts in bubblewrap: its protocol and what keeps one
/// run from the next are described at its top. Kept here, beside the Swift that talks to it.
enum WarmServerScript {
  static let source = #"""
    # mastery's warm Python server: runs Python scripts as `python -I SCRIPT ARGS` would, each in a child
    # forked from this process, which has imported pytest once. Started by the engine in bubblewrap with
    # CAP_SYS_ADMIN and CAP_SETPCAP kept (for this process only: each child drops both before any code
    # but this file's runs).
    #
    # Protocol: one JSON object a line. The server's first line is {"ready": true} or {"ready": false,
    # "reason": ...}. Each request on standard input is one run:
    #   {"run": FOLDER, "mounts": [{"source": PATH, "target": "/box/...", "writable": B, "capacity": N}],
    #    "cwd": "/box/...", "argv": [SCRIPT, ARG...], "limits": {...}, "rewrite": ["/box/..."]}
    # where FOLDER is a folder of /runs and each source a path inside it; the answer is one line
    #   {"status": N, "timedOut": B, "truncated": B, "seconds": S, "stdout": BASE64, "stderr": BASE64}
    # (status: the exit status, or 128 + N for signal N, as bubblewrap reports) or {"error": TEXT} when
    # the run could not be set up (the engine then runs it in a sandbox of its own). Where runs get
    # cgroups, the server's cgroup holds it and its one run at a time: the engine sets the run's
    # limits on it before each run.
    #
    # Each run: a child unshares a mount and a PID namespace and starts the namespace's first process,
    # which mounts a fresh /proc, /tmp, /dev/shm and /box (the run's folders, nothing else), covers
    # /runs and /warm with empty file systems, drops every capability (bounding set, ambient, then
    # capset to zero) and starts the worker (PID 2, as pytest is in bubblewrap): in the first
    # process's session, not dumpable, with the run's rlimits, fresh standard streams and the script
    # executed as __main__. When the first process ends the kernel ends every process of the
    # namespace; the server then kills whatever else it can signal (nothing, normally) before the next
    # run. Nothing a run does reaches the next: each child starts from this process as it was before any
    # run, and the author's and the candidate's modules are imported in the child only.
    import ast, base64, ctypes, gc, importlib, io, json, os, select, signal, sys, time, types

    import pytest
    from _pytest.config import default_plugins

    for _name in default_plugins:
        try:
            importlib.import_module("_pytest." + _name)
        except ImportError:
            pass
    import atexit, threading, traceback

    libc = ctypes.CDLL(None, use_errno=True)
    CLONE_NEWNS, CLONE_NEWPID = 0x00020000, 0x20000000
    MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
    MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
    PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 4, 24, 47, 4
    SETUP_FAILED = 120

    # The standard streams as this interpreter made them: each worker's are made alike.
    STREAMS = [(stream.encoding, stream.errors, stream.line_buffering, stream.write_through)
               for stream in (sys.stdin, sys.stdout, sys.stderr)]
    protocol_in = os.dup(0)
    protocol_out = os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.set_inheritable(protocol_in, False)
    os.set_inheritable(protocol_out, False)


    def fail(what):
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


    def mount(source, target, kind, flags, data=None):
        encode = lambda text: None if text is None else text.encode()
        if libc.mount(encode(source), encode(target), encode(kind), ctypes.c_ulong(flags), encode(data)) != 0:
            fail(f"mount {target}")


    def tmpfs(target, size, mode="0755", readonly=False):
        mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | (MS_RDONLY if readonly else 0), f"size={size},mode={mode}")


    class CapHeader(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


    class CapData(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


    def drop_capabilities():
        last = int(open("/proc/sys/kernel/cap_last_cap").read())
        for capability in range(last + 1):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                fail(f"dropping capability {capability} from the bounding set")
        libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
        header, data = CapHeader(0x20080522, 0), (CapData * 2)()
        if libc.capset(ctypes.byref(header), data) != 0:
            fail("capset")


    def inside(path, root):
        path = os.path.normpath(path)
        return path == root or path.startswith(root + "/")


    def set_up(request):
        """The namespace's first process: the run's file systems, then no capability."""
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        tmpfs("/box", "1m")
        root = request.get("root", "/runs")
        run = os.path.normpath(os.path.join(root, request["run"]))
        if not inside(run, root) or run == root:
            raise OSError(f"the run folder {request['run']!r} is not inside /runs")
        for entry in request["mounts"]:
            target = os.path.normpath(entry["target"])
            if not inside(target, "/box") or target == "/box":
                raise OSError(f"mount target {target!r} is not inside /box")
            os.makedirs(target, exist_ok=True)
            if entry.get("capacity") is not None:
                tmpfs(target, int(entry["capacity"]))
                continue
            source = os.path.normpath(os.path.join(run, entry["source"]))
            if not inside(source, run) or os.path.realpath(source) != source:
                raise OSError(f"mount source {entry['source']!r} is not inside the run folder")
            mount(source, target, None, MS_BIND | MS_REC)
            flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (0 if entry.get("writable") else MS_RDONLY)
            mount(None, target, None, flags)
        mount(None, "/box", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        tmpfs("/tmp", 64 << 20, "1777")
        tmpfs("/dev/shm", int(request["limits"].get("sharedMemory", 16 << 20)), "1777")
        for hidden in ("/runs", "/warm"):
            tmpfs(hidden, "4k", "0", readonly=True)
        drop_capabilities()


    # The author's test files, with their assertions rewritten as pytest rewrites them on import:
    # {(path inside the run, SHA-256 of the source): code}. Rewriting a file costs more than most
    # runs' tests do; the server does it once per file and content, before forking, for the files that
    # pytest rewrites (test_*.py, *_test.py, conftest.py) in the folders the request names under
    # "rewrite" (the author's tests: never a folder of the candidate's files, whose source is only
    # ever parsed in the worker), and the worker's pytest takes the code from here instead of
    # rewriting the same source again.
    REWRITTEN = {}


    def rewrite_tests(request):
        import hashlib, warnings
        from _pytest.assertion import rewrite

        root = request.get("root", "/runs")
        run = os.path.join(root, request["run"])
        wanted = set()
        for entry in request["mounts"]:
            if entry.get("capacity") is not None or entry.get("writable") or entry["target"] not in request.get(
                    "rewrite", []):
                continue
            top = os.path.normpath(os.path.join(run, entry["source"]))
            for folder, folders, files in os.walk(top):
                folders[:] = [name for name in folders if not name.startswith(".") and name != "__pycache__"]
                for name in files:
                    if not (name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")
                                                      or name == "conftest.py")):
                        continue
                    try:
                        with open(os.path.join(folder, name), "rb") as file:
                            source = file.read(1 << 20)
                    except OSError:
                        continue
                    inside = os.path.join(entry["target"], os.path.relpath(os.path.join(folder, name), top))
                    key = (inside, hashlib.sha256(source).digest())
                    wanted.add(key)
                    if key in REWRITTEN:
                        continue
                    try:
                        with warnings.catch_warnings(record=True) as said:
                            warnings.simplefilter("always")
                            tree = ast.parse(source, filename=inside)
                            rewrite.rewrite_asserts(tree, source, inside, None)
                            code = compile(tree, inside, "exec", dont_inherit=True)
                    except Exception:
                        continue
                    # A rewrite that warns is left to the run, so that its warnings are the run's.
                    if not said:
                        REWRITTEN[key] = code
        if len(REWRITTEN) > 512:
            for key in [key for key in REWRITTEN if key not in wanted]:
                del REWRITTEN[key]


    def use_rewritten():
        """In the worker: pytest's rewriting of a test file takes the server's code for the same file
        and source (the same code pytest would make), and rewrites any other as it always does."""
        import hashlib
        from _pytest.assertion import rewrite

        original = getattr(rewrite, "_rewrite_test", None)
        if original is None or not REWRITTEN:
            return

        def rewrite_test(fn, config):
            if config is None or not config.getini("enable_assertion_pass_hook"):
                stat = os.stat(fn)
                with open(fn, "rb") as file:
                    source = file.read()
                code = REWRITTEN.get((str(fn), hashlib.sha256(source).digest()))
                if code is not None:
                    return stat, code
            return original(fn, config)

        rewrite._rewrite_test = rewrite_test


    def set_limits(limits):
        import resource

        def limit(which, soft, hard=None):
            if soft is not None:
                resource.setrlimit(which, (int(soft), int(hard if hard is not None else soft)))

        cpu = limits.get("cpu")
        limit(resource.RLIMIT_CPU, cpu, None if cpu is None else cpu + 1)
        limit(resource.RLIMIT_AS, limits.get("addressSpace"))
        limit(resource.RLIMIT_FSIZE, limits.get("fileSize"))
        limit(resource.RLIMIT_NOFILE, limits.get("openFiles"))
        limit(resource.RLIMIT_NPROC, limits.get("processes"))
        limit(resource.RLIMIT_CORE, 0)


    def exit_code(code):
        if code is None:
            return 0
        if isinstance(code, int):
            return code & 0xFF
        try:
            sys.stderr.write(str(code) + "\n")
        except Exception:
            pass
        return 1


    def work(request):
        """The worker (PID 2): the script, as a fresh `python -I` would run it."""
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        set_limits(request["limits"])
        os.chdir(request["cwd"])
        if "PWD" in os.environ:
            os.environ["PWD"] = request["cwd"]
        streams = []
        for descriptor, (encoding, errors, line_buffering, write_through) in enumerate(STREAMS):
            raw = io.FileIO(descriptor, "r" if descriptor == 0 else "w", closefd=False)
            buffered = io.BufferedReader(raw) if descriptor == 0 else io.BufferedWriter(raw)
            streams.append(io.TextIOWrapper(
                buffered, encoding=encoding, errors=errors, line_buffering=line_buffering, write_through=write_through))
        sys.stdin = sys.__stdin__ = streams[0]
        sys.stdout = sys.__stdout__ = streams[1]
        sys.stderr = sys.__stderr__ = streams[2]
        use_rewritten()
        script = request["argv"][0]
        sys.argv = list(request["argv"])
        main = types.ModuleType("__main__")
        main.__file__ = script
        main.__builtins__ = __builtins__
        sys.modules["__main__"] = main
        code = 0
        try:
            with open(script, "rb") as file:
                source = file.read()
            exec(compile(source, script, "exec"), main.__dict__)
        except SystemExit as exit:
            code = exit_code(exit.code)
        except BaseException as error:
            # As Python prints it: from the script's frame, not this function's.
            traceback.print_exception(type(error), error, error.__traceback__.tb_next)
            code = 1
        try:
            threading._shutdown()
        except BaseException:
            pass
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(code)


    def first_process(request, ready):
        """PID 1 of the run's namespace: sets up, starts the worker, reports how it ended."""
        try:
            # Not dumpable: the worker may not read this process's memory or environment (/proc/1/...).
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
            set_up(request)
        except BaseException as error:
            os.write(ready, f"{error}".encode()[:2000])
            os._exit(SETUP_FAILED)
        os.write(ready, b"ok")
        os.close(ready)
        # The worker's session is this process's, as a fresh run's is bubblewrap's.
        os.setsid()
        worker = os.fork()
        if worker == 0:
            try:
                work(request)
            finally:
                os._exit(1)
        while True:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                os._exit(1)
            if pid == worker:
                os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


    def child(request, out, err, ready):
        """Forked from the server: its own namespaces, whose first process does the rest."""
        try:
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.dup2(null, 0)
            os.closerange(3, ready)
            os.closerange(ready + 1, 65536)
            if libc.unshare(CLONE_NEWNS | CLONE_NEWPID) != 0:
                fail("unshare")
            mount(None, "/", None, MS_REC | MS_PRIVATE)
            first = os.fork()
            if first == 0:
                first_process(request, ready)
            os.close(ready)
            _, status = os.waitpid(first, 0)
            os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
        except BaseException as error:
            try:
                os.write(ready, f"{error}".encode()[:2000])
            finally:
                os._exit(SETUP_FAILED)


    def kill_others():
        """Every process of the server's namespace but the server and bubblewrap's own."""
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass


    def serve(request):
        limits = request["limits"]
        wall = float(limits.get("wall", 10))
        keep = int(limits.get("output", 1 << 20))
        start = time.monotonic()
        rewrite_tests(request)
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        ready_read, ready_write = os.pipe()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(out_read)
            os.close(err_read)
            os.close(ready_read)
            child(request, out_write, err_write, ready_write)
        for descriptor in (out_write, err_write, ready_write):
            os.close(descriptor)
        # The set-up's word: "ok", or why it failed (then the run never started).
        said = b""
        while True:
            chunk = os.read(ready_read, 4096)
            if not chunk:
                break
            said += chunk
        os.close(ready_read)
        if said != b"ok":
            kill_others()
            os.waitpid(pid, 0)
            os.close(out_read)
            os.close(err_read)
            return {"error": said.decode(errors="replace") or "the run's namespace could not be set up"}
        exited = os.pidfd_open(pid)
        poller = select.poll()
        poller.register(exited, select.POLLIN)
        output = {out_read: bytearray(), err_read: bytearray()}
        for descriptor in output:
            poller.register(descriptor, select.POLLIN)
        open_pipes = set(output)
        kept, truncated, timed_out, ended = 0, False, False, False
        deadline = start + wall
        while open_pipes or not ended:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = not ended
                break
            for descriptor, _ in poller.poll(left * 1000):
                if descriptor == exited:
                    ended = True
                    poller.unregister(exited)
                    continue
                chunk = os.read(descriptor, 65536)
                if not chunk:
                    poller.unregister(descriptor)
                    open_pipes.discard(descriptor)
                    continue
                room = keep - kept
                output[descriptor] += chunk[:room]
                kept += min(room, len(chunk))
                truncated = truncated or len(chunk) > room
            if truncated:
                break
        kill_others()
        _, status = os.waitpid(pid, 0)
        os.close(exited)
        for descriptor in output:
            os.close(descriptor)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        return {
            "status": code, "timedOut": timed_out, "truncated": truncated, "seconds": time.monotonic() - start,
            "stdout": base64.b64encode(output[out_read]).decode(), "stderr": base64.b64encode(output[err_read]).decode(),
        }


    SELF_CHECK = r"""
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    status = open("/proc/self/status").read()
    capabilities = [line.split()[1] for line in status.splitlines() if line.startswith("Cap")]
    problems = []
    if any(int(value, 16) for value in capabilities):
        problems.append("capabilities left: " + " ".join(capabilities))
    if libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None) == 0:
        problems.append("a worker can still mount")
    if os.getpid() != 2:
        problems.append(f"the worker is PID {os.getpid()} of its namespace")
    try:
        os.listdir("/runs")
        problems.append("a worker can list /runs")
    except PermissionError:
        pass
    print("; ".join(problems))
    """


    def self_check():
        # The check's script is the server's own, in its /tmp: the one run whose folder is not in /runs.
        os.makedirs("/tmp/self-check", exist_ok=True)
        with open("/tmp/self-check/check.py", "w") as file:
            file.write(SELF_CHECK)
        answer = serve({
            "root": "/tmp", "run": "self-check", "mounts": [{"source": ".", "target": "/box/check"}],
            "cwd": "/box/check", "argv": ["/box/check/check.py"], "limits": {"wall": 20, "output": 65536},
        })
        if "error" in answer:
            return answer["error"]
        said = base64.b64decode(answer["stdout"]).decode(errors="replace").strip()
        if answer["status"] != 0 or said:
            return said or base64.b64decode(answer["stderr"]).decode(errors="replace").strip()[-500:] or "exit status %d" % answer["status"]
        return None


    WARM_UP_TESTS = r"""
    import pytest


    def test_passes():
        assert sorted([3, 1, 2]) == [1, 2, 3]


    def test_fails_with_a_diff():
        assert {"x": [1, 2, 3], "y": "abc"} == {"x": [1, 2, 4], "y": "abd"}


    class TestMethods:
        def test_in(self):
            assert "b" in "abc"


    @pytest.mark.parametrize("value", [1, 2])
    def test_parametrized(value, tmp_path, capsys, monkeypatch):
        print(value)
        assert value


    def test_raises():
        with pytest.raises(ValueError):
            int("x")


    @pytest.mark.skip(reason="skipped")
    def test_skipped():
        pass
    """


    def warm_up():
        """One pytest session of the engine's own tests in the server, before any run: what pytest
        imports and prepares on a first session (assertion rewriting and failure reports, fixtures,
        the terminal report) is then in place in every child. The interpreter's shared state that a
        session changes (sys.path, the import system, warnings, os.environ, the standard streams,
        logging) is put back as it was, so that a child starts as a fresh interpreter would."""
        import logging, warnings

        folder = "/tmp/warm-up"
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "test_warm_up.py"), "w") as file:
            file.write(WARM_UP_TESTS)
        saved = (
            list(sys.path), list(sys.meta_path), list(sys.path_hooks), dict(sys.path_importer_cache),
            list(warnings.filters), dict(os.environ), sys.stdout, sys.stderr, sys.stdin,
            list(logging.root.handlers), logging.root.level, set(sys.modules),
        )
        pytest.main(["-q", "-p", "no:cacheprovider", f"--rootdir={folder}", folder])
        sys.path[:], sys.meta_path[:], sys.path_hooks[:] = saved[0], saved[1], saved[2]
        sys.path_importer_cache.clear()
        sys.path_importer_cache.update(saved[3])
        warnings.filters[:] = saved[4]
        os.environ.clear()
        os.environ.update(saved[5])
        sys.stdout, sys.stderr, sys.stdin = saved[6], saved[7], saved[8]
        logging.root.handlers[:] = saved[9]
        logging.root.setLevel(saved[10])
        for name in set(sys.modules) - saved[11]:
            module = sys.modules[name]
            if getattr(module, "__file__", None) and module.__file__.startswith(folder):
                del sys.modules[name]


    def reply(answer):
        data = (json.dumps(answer) + "\n").encode()
        while data:
            data = data[os.write(protocol_out, data):]


    def requests():
        pending = b""
        while True:
            while b"\n" not in pending:
                chunk = os.read(protocol_in, 65536)
                if not chunk:
                    return
                pending += chunk
            line, pending = pending.split(b"\n", 1)
            yield json.loads(line)


    def main():
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        warm_up()
        # What the server holds is never collected in a child: a collection that visited it would
        # copy every page the child shares with the server.
        gc.freeze()
        reason = self_check()
        reply({"ready": reason is None, "reason": reason})
        if reason is not None:
            return
        for request in requests():
            try:
                answer = serve(request)
            except Exception as error:
                answer = {"error": f"the warm server could not run it: {error}"}
            reply(answer)


    main()
    """#
}
