/** One candidacy stream per application; the application id is the center id for the center's whole life. */
export const candidacyStream = (applicationId: string) => `candidacy-${applicationId}`;
export const expertStream = (expertId: string) => `expert-${expertId}`;
