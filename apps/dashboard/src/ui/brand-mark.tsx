export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path d="M10 23V9h7a5 5 0 0 1 0 10h-4v4z" fill="white" />
    </svg>
  );
}
