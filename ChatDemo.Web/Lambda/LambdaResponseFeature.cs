using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace ChatDemo.Web.Lambda;

/// <summary>
/// The response of one invocation, buffered: Lambda returns a response whole. The buffer keeps
/// at most the given number of bytes and then only counts, so an oversized response
/// becomes a clear invocation error instead of unbounded memory.
/// </summary>
internal sealed class LambdaResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly ResponseBuffer _buffer;
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private PipeWriter? _writer;
    private Stream? _replacedBody;

    public LambdaResponseFeature(int maxBodyBytes) => _buffer = new ResponseBuffer(this, maxBodyBytes);

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public bool HasStarted { get; private set; }

    /// <summary>More than the limit was written; <see cref="BodyBytes"/> is incomplete.</summary>
    public bool Overflowed => _buffer.Overflowed;

    public long BodyLength => _buffer.Written;

    public ReadOnlyMemory<byte> BodyBytes => _buffer.Contents;

    [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
    public Stream Body
    {
        get => _replacedBody ?? Stream;
        set => _replacedBody = value;
    }

    public Stream Stream => _buffer;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted) throw new InvalidOperationException("The response has already started.");
        _onStarting.Add((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted) return;
        HasStarted = true;
        for (var i = _onStarting.Count - 1; i >= 0; i--)
            await _onStarting[i].Callback(_onStarting[i].State);
    }

    public async Task CompleteAsync()
    {
        if (_writer is not null) await _writer.FlushAsync();
        await StartAsync();
    }

    public void DisableBuffering()
    {
        // The whole response is returned at once; there is nothing to stream.
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        await SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);
    }

    /// <summary>Replaces whatever was produced with a bare 500: an exception escaped the pipeline.</summary>
    public void ResetToServerError()
    {
        StatusCode = StatusCodes.Status500InternalServerError;
        ReasonPhrase = null;
        Headers.Clear();
        _buffer.Clear();
    }

    /// <summary>Runs the <c>OnCompleted</c> callbacks, newest first, as Kestrel does.</summary>
    public async Task FireOnCompletedAsync(Action<Exception> onError)
    {
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            try
            {
                await _onCompleted[i].Callback(_onCompleted[i].State);
            }
            catch (Exception e)
            {
                onError(e);
            }
        }
    }

    /// <summary>The response body in memory, up to a limit; writing starts the response.</summary>
    private sealed class ResponseBuffer(LambdaResponseFeature owner, int limit) : Stream
    {
        private readonly MemoryStream _contents = new();

        public bool Overflowed { get; private set; }

        public long Written { get; private set; }

        public ReadOnlyMemory<byte> Contents => _contents.GetBuffer().AsMemory(0, (int)_contents.Length);

        public void Clear()
        {
            _contents.SetLength(0);
            Written = 0;
            Overflowed = false;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            // Synchronous writes are rare (ASP.NET Core disallows them by default); they start the response too.
            if (!owner.HasStarted) owner.StartAsync().GetAwaiter().GetResult();
            Append(buffer);
        }

        private void Append(ReadOnlySpan<byte> buffer)
        {
            Written += buffer.Length;
            if (Overflowed) return;
            if (_contents.Length + buffer.Length > limit)
            {
                Overflowed = true;
                return;
            }
            _contents.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!owner.HasStarted) await owner.StartAsync(cancellationToken);
            Append(buffer.Span);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            owner.HasStarted ? Task.CompletedTask : owner.StartAsync(cancellationToken);

        public override void Flush()
        {
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
