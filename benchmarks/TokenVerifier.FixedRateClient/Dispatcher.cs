using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace TokenVerifier.FixedRateClient;

/// <summary>
/// Sends the schedule's requests from one thread over non-blocking connections: each request, once due, goes out on
/// whichever connection is free, and the thread waits in <c>ppoll</c> for an answer or the next due time, whichever
/// comes first. A thread a connection, each sleeping until its own next request, had two faults on one core: with
/// few connections a busy one held the requests of its lane while others stood free (a queue no server causes), and
/// with many, the threads woke milliseconds late.
/// </summary>
internal sealed unsafe class Dispatcher(Schedule schedule, LoadConnection[] connections, byte[][] requests, LatencyRecorder recorder, long measuredFrom)
{
    private const short PollIn = 1;
    private const int Interrupted = 4;

    // A server that stops answering must not hold the client: what is still due 10 s after the end counts as unfinished.
    private static readonly long Grace = 10 * Stopwatch.Frequency;

    /// <summary>Runs the whole schedule; returns how many requests were not answered by the end.</summary>
    public long Run()
    {
        Schedule.PrepareSendingThread();
        var end = schedule.DueAt(schedule.Total) + Grace;
        var inFlight = new long[connections.Length];
        var sentAt = new long[connections.Length];
        var freeAt = new long[connections.Length];
        var free = new Stack<int>(Enumerable.Range(0, connections.Length).Reverse());
        var busy = new bool[connections.Length];
        var waiting = new Queue<long>();
        var polled = new PollFd[connections.Length];
        var polledConnections = new int[connections.Length];
        var next = 0L;
        var answered = 0L;
        while (answered < schedule.Total)
        {
            var now = Stopwatch.GetTimestamp();
            if (now > end)
            {
                return schedule.Total - answered;
            }

            while (next < schedule.Total && schedule.DueAt(next) <= now)
            {
                waiting.Enqueue(next++);
            }

            while (waiting.Count > 0 && free.Count > 0)
            {
                var connection = free.Pop();
                busy[connection] = true;
                inFlight[connection] = waiting.Dequeue();
                sentAt[connection] = Stopwatch.GetTimestamp();
                if (!connections[connection].TrySend(requests[inFlight[connection] % requests.Length]))
                {
                    // The connection failed and was reopened: the request counts as answered with status 0.
                    Complete(connection, 0);
                }
            }

            // Wait for an answer on a busy connection, or until the next request is due.
            var count = 0;
            for (var c = 0; c < connections.Length; c++)
            {
                if (busy[c])
                {
                    polled[count] = new PollFd { Descriptor = connections[c].Descriptor, Events = PollIn };
                    polledConnections[count++] = c;
                }
            }

            var until = next < schedule.Total ? schedule.DueAt(next) : end;
            var wait = Math.Max(0, until - Stopwatch.GetTimestamp());
            var timeout = new Timespec { Seconds = wait / Stopwatch.Frequency, Nanoseconds = wait % Stopwatch.Frequency };
            int ready;
            fixed (PollFd* fds = polled)
            {
                ready = ppoll(fds, (nuint)count, &timeout, IntPtr.Zero);
            }

            if (ready < 0 && Marshal.GetLastPInvokeError() != Interrupted)
            {
                throw new InvalidOperationException($"ppoll failed: error {Marshal.GetLastPInvokeError()}.");
            }

            for (var i = 0; i < count && ready > 0; i++)
            {
                if (polled[i].ReturnedEvents != 0 && connections[polledConnections[i]].TryReceive(out var status))
                {
                    Complete(polledConnections[i], status);
                }
            }
        }

        return 0;

        void Complete(int connection, int status)
        {
            var done = Stopwatch.GetTimestamp();
            var index = inFlight[connection];
            if (index >= measuredFrom)
            {
                // From when the client could have sent it (due, and the connection it went out on free) to when it did:
                // the client's own delay, which a server's slowness never causes.
                var due = schedule.DueAt(index);
                recorder.Record(due, done - due, done - sentAt[connection], sentAt[connection] - Math.Max(due, freeAt[connection]), status);
            }

            freeAt[connection] = done;
            busy[connection] = false;
            free.Push(connection);
            answered++;
        }
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ppoll(PollFd* fds, nuint count, Timespec* timeout, IntPtr signalMask);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
