import cProfile, pstats, io, os
pr = cProfile.Profile(); pr.enable()
exec(compile(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "app.py")).read(), "app.py", "exec"))
pr.disable()
s = io.StringIO(); st_ = pstats.Stats(pr, stream=s)
st_.sort_stats("cumulative").print_stats(int(os.environ.get("N", "60")))
open(os.environ.get("OUT", "/tmp/speed/prof.txt"), "a").write(s.getvalue())
