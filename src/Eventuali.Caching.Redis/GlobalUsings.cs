global using Eventuali;
global using Eventuali.Caching;
